namespace ReferralExchange.WebConsole.Core;

/// <summary>
/// The gateway's own service provider, as the console reaches it: every console action runs the
/// same core service the API endpoint runs (consent gate, Task state machine, audit trail), in a
/// scope of its own like one API request (issue 16 must-hold 1). Nothing is registered twice.
/// </summary>
public sealed class GatewayCore(IServiceProvider gateway)
{
    public IServiceProvider Root => gateway;

    public async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> call)
    {
        await using var scope = gateway.CreateAsyncScope();
        return await call(scope.ServiceProvider);
    }

    public async Task RunAsync(Func<IServiceProvider, Task> call)
    {
        await using var scope = gateway.CreateAsyncScope();
        await call(scope.ServiceProvider);
    }
}
