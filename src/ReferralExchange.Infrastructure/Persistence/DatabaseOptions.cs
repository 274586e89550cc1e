namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// The <c>Gateway:Database</c> section: which database (SQLite needs nothing, its file is under the
/// data directory; a server database needs <see cref="ConnectionString"/>), how long a request
/// waits for it, how often the SQLite file is checked. On PostgreSQL (ADR 0017) the runtime
/// connection should log in as a role that may only INSERT and SELECT the audit tables; the owner
/// role's <see cref="MigrationConnectionString"/> migrates and grants at start-up.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Gateway:Database";

    /// <summary><c>sqlite</c> (embedded default), <c>postgresql</c> or <c>sqlserver</c>.</summary>
    public string? Provider { get; set; }
    public string? ConnectionString { get; set; }
    /// <summary>PostgreSQL: the owner role's connection, used only to migrate and to grant the runtime role.</summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>
    /// Longest a request waits for the database: the write gate and group commit queue, SQLite's
    /// own busy wait (its <c>Default Timeout</c>), PostgreSQL's <c>lock_timeout</c>. Past it the
    /// request answers 503 with Retry-After.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the SQLite file's identity is checked between commits (each commit checks it too).</summary>
    public TimeSpan FileCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retry-After for a busy answer: the wait itself, in whole seconds (at least one).</summary>
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(BusyTimeout.TotalSeconds)));

    public DatabaseProvider Kind => DatabaseSetup.Parse(Provider ?? "sqlite");

    public string RequiredConnectionString => ConnectionString
        ?? throw new InvalidOperationException($"Gateway:Database:ConnectionString is required for {Provider}");

    /// <summary>This section, once its provider is known to be one of ours (an unknown name stops the gateway).</summary>
    public DatabaseOptions Validated()
    {
        _ = Kind;
        return this;
    }

    /// <summary>This section with the older top-level spellings (<c>Gateway:DatabaseProvider</c>, <c>Gateway:ConnectionString</c>) where it names none.</summary>
    public DatabaseOptions WithFallback(string? provider, string? connectionString)
    {
        Provider ??= provider;
        ConnectionString ??= connectionString;
        return this;
    }
}
