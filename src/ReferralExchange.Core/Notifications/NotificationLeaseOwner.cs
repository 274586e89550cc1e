namespace ReferralExchange.Core.Notifications;

/// <summary>
/// This gateway process's name on the rows it has claimed: host, process id and a random part, so
/// that two hosts in one process (tests) or a restarted process never pass for each other.
/// </summary>
public sealed record NotificationLeaseOwner(string Id)
{
    public static NotificationLeaseOwner ForThisProcess() =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");
}
