using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>Refuses a client assertion seen before: its (client, jti) is a primary key, so even concurrent replays lose.</summary>
public sealed class ClientAssertionReplayGuard(GatewayDbContext db, WriteGate gate, TimeProvider time)
{
    public async Task<bool> TryUseAsync(string clientId, string jti, DateTimeOffset expires, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow().UtcTicks;
        await db.UsedClientAssertions.Where(a => a.ExpiresTicks < now).ExecuteDeleteAsync(ct);
        db.UsedClientAssertions.Add(new UsedClientAssertionRow { Key = $"{clientId}|{jti}", ExpiresTicks = expires.UtcTicks });
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
}
