using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Brings the schema up to date before the first request. SQLite and SQL Server migrate on the
/// gateway's own connection, as before. PostgreSQL (ADR 0017) separates the roles: with a
/// migration connection the owner migrates and grants the runtime role; without one the gateway's
/// own role migrates only if something is pending (a one-role development setup), and a runtime
/// role that may not change the schema stops the gateway with one line saying what to set.
/// </summary>
public static class DatabaseMigration
{
    public static async Task RunAsync(GatewayDbContext db, DatabaseOptions database, CancellationToken ct)
    {
        if (database.Kind != DatabaseProvider.PostgreSql)
        {
            await DatabaseSetup.MigrateAsync(db, ct);
            return;
        }
        var runtimeRole = new NpgsqlConnectionStringBuilder(database.RequiredConnectionString).Username
            ?? throw new GatewayStartupException("Gateway:Database:ConnectionString must name its Username (the runtime role)");
        if (database.MigrationConnectionString is { Length: > 0 } ownerConnection)
        {
            var options = new DbContextOptionsBuilder<GatewayDbContext>();
            options.UseGatewayPostgreSql(ownerConnection);
            await using var owner = new GatewayDbContext(options.Options);
            await DatabaseSetup.MigrateAsOwnerAsync(owner, runtimeRole, ct);
            return;
        }
        if (await DatabaseSetup.PendingMigrationsAsync(db, ct) is not { Count: > 0 } pending)
        {
            // Nothing to migrate: the runtime role may not even lock the history table, so Migrate is not called.
            await ReferralExchange.Infrastructure.Audit.AuditTreeBackfill.RunAsync(db, ct);
            return;
        }
        try
        {
            // A one-role setup (development): the gateway's own role owns the schema.
            await DatabaseSetup.MigrateAsync(db, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new GatewayStartupException($"the database has {pending.Count} migration(s) pending ({pending[0]} first) and the runtime role may not apply them: set Gateway:Database:MigrationConnectionString to the owner role's connection (ADR 0017)");
        }
    }
}
