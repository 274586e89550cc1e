using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 13 §4, the bounded wait for a batch, at its edge: a unit that finishes just as its request's
/// wait runs out. Its batch had started it, so its outcome is the answer. The wait once let the bare
/// <see cref="TimeoutException"/> out instead: the unit completed between the timer firing and the
/// check of whether it had, so the deferred audit trail took a refusal's record, written a moment
/// later, for lost and logged it (the clean-clone run of BusyDatabaseTests, 2026-12-02).
/// </summary>
public sealed class GroupCommitWaitTests : IAsyncLifetime
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromMilliseconds(20);
    private const int Attempts = 400;

    private readonly ScratchSqliteDatabase _database = new("gcw");
    private GroupCommit _commit = null!;

    public async Task InitializeAsync()
    {
        await _database.MigrateAsync();
        var contention = new DatabaseContention(new DatabaseOptions { BusyTimeout = BusyTimeout }, TimeProvider.System, NullLogger<DatabaseContention>.Instance);
        _commit = new GroupCommit(() => _database.Context(), WriteGate.SingleWriter(), NullLogger<GroupCommit>.Instance, contention);
    }

    public async Task DisposeAsync()
    {
        await _commit.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task UnitFinishingAsItsWaitRunsOut_AnswersWithItsOutcome_NeverABareTimeout()
    {
        // Each unit ends within a millisecond or so either side of its request's deadline (the timer's
        // own jitter is about that), so some of them end in the instant the wait gives up.
        var random = new Random(11);
        var answered = new Dictionary<string, Exception?>();
        for (var i = 0; i < Attempts; i++)
        {
            var asked = Stopwatch.StartNew();
            var endAt = BusyTimeout + TimeSpan.FromMicroseconds(random.Next(-1500, 1500));
            var marker = $"edge{i}";
            try
            {
                await _commit.RunAsync(async (db, ct) =>
                {
                    await AuditAppender.AppendAsync(db, [Record(marker)], ct);
                    while (asked.Elapsed < endAt)
                    {
                        Thread.SpinWait(20);
                    }
                }, CancellationToken.None);
                answered[marker] = null;
            }
            catch (Exception error)
            {
                answered[marker] = error;
            }
        }

        // The answer is what happened: a success was committed; a refusal is the typed "busy" (503,
        // Retry-After) and its record was not written; nothing else.
        await using var db = _database.Context();
        var committed = (await db.AuditRecords.Select(r => r.PartnerId).ToListAsync()).ToHashSet();
        var wrong = answered
            .Where(a => a.Value is null ? !committed.Contains(a.Key)
                : a.Value is not GatewayException || committed.Contains(a.Key))
            .Select(a => $"{a.Key}: {a.Value?.GetType().Name ?? "success"}, {(committed.Contains(a.Key) ? "committed" : "not committed")}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Attempts} answered other than what happened: {string.Join("; ", wrong.Take(5))}");
        Assert.Equal((long)committed.Count, AuditChainFile.AssertIntact(_database.Path));
    }

    private static AuditRecord Record(string marker) => new()
    {
        Action = AuditActions.Read,
        Outcome = AuditOutcome.Success,
        Recorded = DateTimeOffset.UtcNow,
        PartnerId = marker,
        RequestId = marker,
    };
}
