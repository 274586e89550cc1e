namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>A gateway owned by one test (for tests that damage its database on purpose).</summary>
public sealed class OwnedGateway : GatewayFixture, IAsyncDisposable
{
    public static async Task<OwnedGateway> StartAsync()
    {
        var gateway = new OwnedGateway();
        await gateway.InitializeAsync();
        return gateway;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
