using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Checkpoints are signed by one replica at a time (issue 15 §3, ADR 0020): before signing, a replica
/// takes or renews the <c>audit-checkpoint-signer</c> lease row with a conditional update (it is
/// free, expired, or already ours). Several replicas polling at once cannot both win: on PostgreSQL
/// the second UPDATE waits for the first's row lock and then re-reads the row, which no longer
/// matches; on SQLite writes are serial. A replica that dies keeps the lease only until it expires;
/// one that stops cleanly gives it up. A row, not an advisory lock, so that it works on every
/// provider and survives the signing call to Key Vault without holding a transaction open.
/// </summary>
public sealed class CheckpointSignerLease(string holder, TimeSpan duration)
{
    public const string Name = "audit-checkpoint-signer";

    public string Holder => holder;
    public TimeSpan Duration => duration;

    public static CheckpointSignerLease ForThisProcess(TimeSpan duration) =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}", duration);

    /// <summary>Takes the lease (or extends ours) until now + duration; false while another replica's lease runs.</summary>
    public async Task<bool> TryAcquireAsync(GatewayDbContext db, WriteGate gate, DateTimeOffset now, CancellationToken ct)
    {
        var nowTicks = now.UtcTicks;
        var until = (now + duration).UtcTicks;
        using var writing = await gate.EnterAsync(ct);
        var taken = await db.ServiceLeases
            .Where(l => l.Name == Name && (l.Holder == holder || l.ExpiresTicks <= nowTicks))
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresTicks, until), ct);
        if (taken == 1)
        {
            return true;
        }
        if (await db.ServiceLeases.AsNoTracking().AnyAsync(l => l.Name == Name, ct))
        {
            return false;
        }
        // No row yet: the first replica to insert it holds it; a concurrent insert loses on the key.
        db.ServiceLeases.Add(new ServiceLeaseRow { Name = Name, Holder = holder, ExpiresTicks = until });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Gives the lease up (a clean stop), so another replica signs at its next poll.</summary>
    public async Task ReleaseAsync(GatewayDbContext db, WriteGate gate, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        await db.ServiceLeases.Where(l => l.Name == Name && l.Holder == holder)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.ExpiresTicks, 0L), ct);
    }

    /// <summary>Who holds the lease and until when (for the answer to an operator and for tests).</summary>
    public static async Task<(string Holder, DateTimeOffset Until)?> CurrentAsync(GatewayDbContext db, CancellationToken ct) =>
        await db.ServiceLeases.AsNoTracking().Where(l => l.Name == Name).Select(l => new { l.Holder, l.ExpiresTicks }).FirstOrDefaultAsync(ct) is { } row
            ? (row.Holder, new DateTimeOffset(row.ExpiresTicks, TimeSpan.Zero))
            : null;
}

/// <summary>Another replica holds the checkpoint signer lease: this one signs nothing until it expires.</summary>
public sealed class CheckpointLeaseHeldException(DateTimeOffset until)
    : Exception($"another replica holds the checkpoint signer lease until {until:O}")
{
    public DateTimeOffset Until => until;
}
