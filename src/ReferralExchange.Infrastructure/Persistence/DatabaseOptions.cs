namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>The <c>Gateway:Database</c> section: how long a request waits for the database, how often its file is checked.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Gateway:Database";

    /// <summary>
    /// Longest a request waits for the database: the write gate and group commit queue, and SQLite's
    /// own busy wait (its <c>Default Timeout</c>). Past it the request answers 503 with Retry-After.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the SQLite file's identity is checked between commits (each commit checks it too).</summary>
    public TimeSpan FileCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retry-After for a busy answer: the wait itself, in whole seconds (at least one).</summary>
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(BusyTimeout.TotalSeconds)));
}
