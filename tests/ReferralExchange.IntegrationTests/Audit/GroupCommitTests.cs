using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// The group commit (ADR 0010) on a real SQLite file: requests in flight share a transaction, a
/// failing unit fails alone, and a failing commit fails every request of its batch and writes
/// nothing of it; the chain stays whole throughout.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private readonly Infrastructure.ScratchSqliteDatabase _database = new("gc");
    private readonly CommitSwitch _switch = new();
    private GroupCommit _commit = null!;

    public async Task InitializeAsync()
    {
        await _database.MigrateAsync();
        _commit = new GroupCommit(() => _database.Context(_switch), WriteGate.SingleWriter(), NullLogger<GroupCommit>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _commit.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task RunAsync_ManyConcurrentRequests_ShareFewerCommitsThanRequests()
    {
        var requests = Enumerable.Range(0, 64).Select(i => Append($"r{i}")).ToList();
        await Task.WhenAll(requests);

        Assert.Equal(64, CountRecords());
        Assert.InRange(_switch.Commits, 1, 63);
        AssertChainIntact();
    }

    [Fact]
    public async Task RunAsync_OneUnitFails_OnlyThatRequestFailsAndNothingOfItIsWritten()
    {
        var good = Enumerable.Range(0, 10).Select(i => Append($"ok{i}")).ToList();
        var bad = _commit.RunAsync(async (db, ct) =>
        {
            await AuditAppender.AppendAsync(db, [Record("doomed")], ct);
            throw new InvalidOperationException("the unit's own failure");
        }, CancellationToken.None);
        good.AddRange(Enumerable.Range(10, 10).Select(i => Append($"ok{i}")));

        await Task.WhenAll(good);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal(20, CountRecords());
        Assert.Equal(0, CountRecords("doomed"));
        AssertChainIntact();
    }

    [Fact]
    public async Task RunAsync_CommitFails_EveryRequestOfTheBatchFailsAndNoneIsWritten()
    {
        await Append("before");
        _switch.FailCommits = true;
        var batch = Enumerable.Range(0, 16).Select(i => Append($"lost{i}")).ToList();

        foreach (var request in batch)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => request);
        }
        _switch.FailCommits = false;
        // Requests of the failed batch are never acknowledged, and nothing of them is stored.
        Assert.Equal(0, CountRecordsLike("lost%"));
        await Append("after");
        Assert.Equal(2, CountRecords());
        AssertChainIntact();
    }

    [Fact]
    public async Task RunAsync_UnitsFailingBetweenOthersOfOneBatch_LeaveOneChainAndTreeWithoutThem()
    {
        // Each batch keeps the chain's tip in memory across its units (BatchAuditTip); a rolled-back
        // unit, including one that appended twice or failed after appending, must leave no trace in it.
        var requests = new List<Task>();
        for (var i = 0; i < 40; i++)
        {
            var n = i;
            requests.Add(n % 4 == 3
                ? _commit.RunAsync(async (db, ct) =>
                {
                    await AuditAppender.AppendAsync(db, [Record($"doomed{n}a")], ct);
                    await AuditAppender.AppendAsync(db, [Record($"doomed{n}b"), Record($"doomed{n}c")], ct);
                    throw new InvalidOperationException("the unit's own failure");
                }, CancellationToken.None)
                : n % 4 == 2
                    ? _commit.RunAsync(async (db, ct) =>
                    {
                        // Two appends in one unit continue one after the other.
                        await AuditAppender.AppendAsync(db, [Record($"twice{n}a")], ct);
                        await AuditAppender.AppendAsync(db, [Record($"twice{n}b")], ct);
                    }, CancellationToken.None)
                    : Append($"ok{n}"));
        }
        foreach (var request in requests)
        {
            try { await request; } catch (InvalidOperationException) { }
        }

        Assert.Equal(20 + 2 * 10, CountRecords());
        Assert.Equal(0, CountRecordsLike("doomed%"));
        AssertChainIntact();
    }

    private Task Append(string requestId) =>
        _commit.RunAsync((db, ct) => AuditAppender.AppendAsync(db, [Record(requestId)], ct), CancellationToken.None);

    private static AuditRecord Record(string requestId) => new()
    {
        Action = AuditActions.Read,
        Outcome = AuditOutcome.Success,
        Recorded = DateTimeOffset.UtcNow,
        PartnerId = "bh-riverside",
        RequestId = requestId,
    };

    private long CountRecords(string? requestId = null) => Scalar(
        requestId is null ? "SELECT COUNT(*) FROM AuditRecords" : $"SELECT COUNT(*) FROM AuditRecords WHERE instr(Payload, '{requestId}') > 0");

    private long CountRecordsLike(string pattern) => Scalar($"SELECT COUNT(*) FROM AuditRecords WHERE CAST(Payload AS TEXT) LIKE '%{pattern}'");

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private void AssertChainIntact()
    {
        var count = Infrastructure.AuditChainFile.AssertIntact(_database.Path);
        AssertTreeMatchesRecords(count);
    }

    /// <summary>The stored Merkle tree is the tree of the stored records: its root at their count equals one built here from their payloads.</summary>
    private void AssertTreeMatchesRecords(long count)
    {
        var expected = new Core.Audit.Merkle.CompactRange();
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT Payload FROM AuditRecords ORDER BY Sequence";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                expected.Append(Core.Audit.Merkle.MerkleHash.Leaf((byte[])reader.GetValue(0)));
            }
        }
        using var db = _database.Context();
        var stored = new AuditTreeStore(db).ResumeAsync(count, CancellationToken.None).GetAwaiter().GetResult();
        Assert.Equal(Convert.ToHexString(expected.Root()), Convert.ToHexString(stored.Root()));
    }

    /// <summary>Counts commits and, while armed, fails them (as a full disk or a lost server would).</summary>
    private sealed class CommitSwitch : DbTransactionInterceptor
    {
        public volatile bool FailCommits;
        private int _commits;

        public int Commits => _commits;

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (FailCommits)
            {
                throw new IOException("disk I/O error (injected)");
            }
            Interlocked.Increment(ref _commits);
            return await base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
        }
    }
}
