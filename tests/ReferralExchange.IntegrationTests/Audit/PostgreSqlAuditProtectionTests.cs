using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// ADR 0017 on a real PostgreSQL server: the audit tables are append-only twice over. The gateway's
/// runtime role holds INSERT and SELECT only (its UPDATE, DELETE and TRUNCATE are refused as
/// permission denied), and the triggers refuse them even to the tables' owner. Chain appends from
/// separate connections (as from separate replicas) serialise on the advisory lock.
/// </summary>
public sealed class PostgreSqlAuditProtectionTests(PostgreSqlGatewayFixture gateway) : IClassFixture<PostgreSqlGatewayFixture>
{
    private static readonly string[] AuditTables = ["AuditRecords", "AuditCheckpoints", "AuditTreeNodes"];

    public static TheoryData<string, string> Changes => new()
    {
        { "AuditRecords", "UPDATE \"AuditRecords\" SET \"Action\" = 'read'" },
        { "AuditRecords", "DELETE FROM \"AuditRecords\"" },
        { "AuditRecords", "TRUNCATE \"AuditRecords\"" },
        { "AuditCheckpoints", "UPDATE \"AuditCheckpoints\" SET \"KeyId\" = 'forged'" },
        { "AuditCheckpoints", "DELETE FROM \"AuditCheckpoints\"" },
        { "AuditTreeNodes", "UPDATE \"AuditTreeNodes\" SET \"Hash\" = '\\x00'::bytea" },
        { "AuditTreeNodes", "DELETE FROM \"AuditTreeNodes\"" },
        { "AuditTreeNodes", "TRUNCATE \"AuditTreeNodes\"" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task RuntimeRole_ChangingAuditRows_IsPermissionDenied(string table, string sql)
    {
        await SomeTrailAsync();
        await using var runtime = gateway.PostgreSql.OpenAs(PostgreSqlCluster.RuntimeRole);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(runtime, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains($"permission denied for table {table}", refused.MessageText);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Owner_ChangingAuditRows_IsRefusedByTheTrigger(string table, string sql)
    {
        await SomeTrailAsync();
        await using var owner = gateway.PostgreSql.OpenAs(PostgreSqlCluster.OwnerRole);
        var before = await ScalarAsync(owner, $"SELECT COUNT(*) FROM \"{table}\"");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(owner, sql));

        Assert.Equal(PostgresErrorCodes.RaiseException, refused.SqlState);
        Assert.Equal($"{table} is append-only", refused.MessageText);
        Assert.Equal(before, await ScalarAsync(owner, $"SELECT COUNT(*) FROM \"{table}\""));
    }

    [Fact]
    public async Task RuntimeRole_HoldsInsertAndSelectOnlyOnTheAuditTables()
    {
        await using var runtime = gateway.PostgreSql.OpenAs(PostgreSqlCluster.RuntimeRole);
        foreach (var table in AuditTables)
        {
            foreach (var (privilege, held) in new[] { ("SELECT", true), ("INSERT", true), ("UPDATE", false), ("DELETE", false), ("TRUNCATE", false), ("TRIGGER", false) })
            {
                Assert.True(held == (bool)(await ScalarObjectAsync(runtime, $"SELECT has_table_privilege(current_user, '\"{table}\"', '{privilege}')"))!, $"{privilege} on {table}");
            }
        }
        // It changes the other tables (the gateway's ordinary work), but never the schema.
        Assert.True((bool)(await ScalarObjectAsync(runtime, "SELECT has_table_privilege(current_user, '\"ResourceHeads\"', 'UPDATE')"))!);
        Assert.False((bool)(await ScalarObjectAsync(runtime, "SELECT has_schema_privilege(current_user, current_schema(), 'CREATE')"))!);
    }

    [Fact]
    public async Task RuntimeRole_DroppingOrDisablingATrigger_IsRefused()
    {
        await using var runtime = gateway.PostgreSql.OpenAs(PostgreSqlCluster.RuntimeRole);

        var dropped = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(runtime, "DROP TRIGGER \"AuditRecords_no_update\" ON \"AuditRecords\""));
        var disabled = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(runtime, "ALTER TABLE \"AuditRecords\" DISABLE TRIGGER ALL"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, dropped.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, disabled.SqlState);
    }

    [Fact]
    public async Task ATriggerDisabledByTheOwner_IsFoundAsTampering()
    {
        await using var db = RuntimeContext();
        Assert.Empty(await AppendOnlyTriggers.FindingsAsync(db, CancellationToken.None));
        await using var owner = gateway.PostgreSql.OpenAs(PostgreSqlCluster.OwnerRole);
        await ExecuteAsync(owner, "ALTER TABLE \"AuditCheckpoints\" DISABLE TRIGGER \"AuditCheckpoints_no_delete\"");
        try
        {
            var finding = Assert.Single(await AppendOnlyTriggers.FindingsAsync(db, CancellationToken.None));
            Assert.Contains("AuditCheckpoints_no_delete is disabled", finding);
        }
        finally
        {
            await ExecuteAsync(owner, "ALTER TABLE \"AuditCheckpoints\" ENABLE TRIGGER \"AuditCheckpoints_no_delete\"");
        }
    }

    [Fact]
    public async Task AppendsFromSeparateConnections_FormOneChain()
    {
        await SomeTrailAsync();
        // Each writer is its own context, connection and transaction: what two replicas are to the database.
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using var db = RuntimeContext();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await AuditAppender.AppendAsync(db, [new AuditRecord
                {
                    Action = AuditActions.Read,
                    Outcome = AuditOutcome.Success,
                    Recorded = DateTimeOffset.UtcNow,
                    PartnerId = $"writer-{w}",
                    RequestId = $"w{w}-{i}",
                }], CancellationToken.None);
                await db.SaveChangesAsync();
                // Hold the lock a little, so the others really queue behind it.
                await Task.Delay(5);
                await transaction.CommitAsync();
            }
        })).ToList();
        await Task.WhenAll(writers);

        var (status, report) = await gateway.VerifyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(report["isIntact"]!.GetValue<bool>());
        await using var owner = gateway.PostgreSql.OpenAs(PostgreSqlCluster.OwnerRole);
        Assert.Equal(60L, await ScalarAsync(owner, "SELECT COUNT(*) FROM \"AuditRecords\" WHERE \"PartnerId\" LIKE 'writer-%'"));
        Assert.Equal(await ScalarAsync(owner, "SELECT MAX(\"Sequence\") FROM \"AuditRecords\""), await ScalarAsync(owner, "SELECT COUNT(*) FROM \"AuditRecords\""));
    }

    private GatewayDbContext RuntimeContext()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewayPostgreSql(gateway.PostgreSql.RuntimeConnectionString);
        return new GatewayDbContext(options.Options);
    }

    /// <summary>A submission and a checkpoint, so every audit table has rows to attack.</summary>
    private async Task SomeTrailAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        await gateway.CheckpointAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql) =>
        Convert.ToInt64(await ScalarObjectAsync(connection, sql), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarObjectAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
