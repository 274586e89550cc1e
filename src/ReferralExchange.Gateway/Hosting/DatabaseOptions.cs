using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// The <c>Gateway:Database</c> section. SQLite needs nothing (the file is under the data directory);
/// a server database needs <see cref="ConnectionString"/>. On PostgreSQL (ADR 0017) the runtime
/// connection should log in as a role that may only INSERT and SELECT the audit tables; the owner
/// role's <see cref="MigrationConnectionString"/> migrates and grants at start-up.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (embedded default), <c>postgresql</c> or <c>sqlserver</c>.</summary>
    public string? Provider { get; set; }
    public string? ConnectionString { get; set; }
    /// <summary>PostgreSQL: the owner role's connection, used only to migrate and to grant the runtime role.</summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>This section, falling back to the older <c>Gateway:DatabaseProvider</c> and <c>Gateway:ConnectionString</c>.</summary>
    public static DatabaseOptions Resolve(GatewayOptions gateway) => new()
    {
        Provider = gateway.Database.Provider ?? gateway.DatabaseProvider,
        ConnectionString = gateway.Database.ConnectionString ?? gateway.ConnectionString,
        MigrationConnectionString = gateway.Database.MigrationConnectionString,
    };

    public DatabaseProvider Kind => DatabaseSetup.Parse(Provider ?? "sqlite");

    public string RequiredConnectionString => ConnectionString
        ?? throw new InvalidOperationException($"Gateway:Database:ConnectionString is required for {Provider}");
}
