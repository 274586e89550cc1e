using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ReferralExchange.Core.Notifications;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway owned by one notification test: fast polling and retries unless the test says otherwise,
/// optionally on another gateway's folder (same database: two hosts, or a restart), and optionally with
/// the outbox on a simulated clock (<see cref="FakeTimeProvider"/>) while the rest of the gateway keeps real time.
/// </summary>
public sealed class NotificationGateway : GatewayFixture, IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly FakeTimeProvider? _clock;

    private NotificationGateway(string? root, IReadOnlyDictionary<string, string?> settings, FakeTimeProvider? clock, TestDatabase? database) : base(root, database)
    {
        _settings = settings;
        _clock = clock;
    }

    public static readonly IReadOnlyDictionary<string, string?> Fast = new Dictionary<string, string?>
    {
        ["Gateway:Notifications:PollInterval"] = "00:00:00.100",
        ["Gateway:Notifications:RetryBase"] = "00:00:00.050",
        ["Gateway:Notifications:RetryCap"] = "00:00:00.200",
        ["Gateway:Notifications:CircuitBreakDuration"] = "00:00:00.500",
    };

    /// <param name="database">SQLite when not given; another gateway's, to share its database.</param>
    /// <param name="settings">Added over <see cref="Fast"/> (a null value removes a fast setting: the default applies).</param>
    public static async Task<NotificationGateway> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? root = null, FakeTimeProvider? clock = null, TestDatabase? database = null)
    {
        var merged = Fast.ToDictionary();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null) merged.Remove(key); else merged[key] = value;
        }
        var gateway = new NotificationGateway(root, merged, clock, database);
        await gateway.InitializeAsync();
        return gateway;
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => _settings;

    protected override void ConfigureServices(IServiceCollection services)
    {
        if (_clock is not null)
        {
            services.RemoveAll<NotificationClock>();
            services.AddSingleton(new NotificationClock(_clock));
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
