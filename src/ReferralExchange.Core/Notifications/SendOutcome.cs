namespace ReferralExchange.Core.Notifications;

/// <summary>What one delivery attempt came to, in the outbox's terms (the sender speaks HTTP; the dispatcher does not).</summary>
public abstract record SendOutcome
{
    private SendOutcome()
    {
    }

    /// <summary>The partner acknowledged it (2xx).</summary>
    public sealed record Delivered : SendOutcome;

    /// <summary>The attempt was made and failed: an error status, a refused or broken connection, a timeout.</summary>
    public sealed record Failed(string Error) : SendOutcome;

    /// <summary>No attempt was made: the endpoint's circuit is open; try again after <paramref name="RetryAfter"/>.</summary>
    public sealed record Unavailable(TimeSpan RetryAfter, string Error) : SendOutcome;
}
