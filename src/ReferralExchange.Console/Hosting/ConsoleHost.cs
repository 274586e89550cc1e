using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>
/// Two hosts in one process (ADR 0022): the gateway exactly as its own Program builds it (mutual
/// TLS API, workers, one database writer), and the console on its own port with server TLS, whose
/// pages call the gateway's core services through <see cref="Core.GatewayCore"/>. One process means
/// one group-commit writer and one audit chain head: the console does not race the API.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    private ConsoleHost(WebApplication gateway, WebApplication console)
    {
        Gateway = gateway;
        Console = console;
    }

    public WebApplication Gateway { get; }
    public WebApplication Console { get; }
    public Uri ApiAddress => AddressOf(Gateway);
    public Uri ConsoleAddress => AddressOf(Console);

    /// <param name="configureGateway">Tests: services or settings for the gateway host (before it is composed).</param>
    /// <param name="configureConsole">Tests: services or settings for the console host.</param>
    public static async Task<ConsoleHost> StartAsync(string[] args, Action<WebApplicationBuilder>? configureGateway = null,
        Action<WebApplicationBuilder>? configureConsole = null, TextWriter? accountsOutput = null)
    {
        // appsettings.json and partners.json travel with the binaries (the gateway's content files).
        string[] hostArgs = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            ? args
            : [.. args, "--contentRoot", AppContext.BaseDirectory];
        // The console's own refusals (public URL, accounts database) come first, in one line, before
        // the gateway spends seconds migrating and warming its validator.
        ConsoleStartupChecks.Run(ConsoleApp.Configuration(hostArgs, configureConsole));
        var gateway = await GatewayApp.CreateAsync(hostArgs, configureGateway);
        await StartupCheck.RunAsync("Gateway:Host, Gateway:Port", "The gateway cannot listen", () => gateway.StartAsync());
        WebApplication console;
        try
        {
            console = await ConsoleApp.CreateAsync(hostArgs, gateway.Services, configureConsole, accountsOutput ?? System.Console.Out);
            await StartupCheck.RunAsync("Console:Host, Console:Port", "The console cannot listen", () => console.StartAsync());
        }
        catch
        {
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            throw;
        }
        return new ConsoleHost(gateway, console);
    }

    public async Task WaitForShutdownAsync()
    {
        // Either host stopping (SIGTERM reaches both) ends the process.
        await Task.WhenAny(Gateway.WaitForShutdownAsync(), Console.WaitForShutdownAsync());
    }

    public async ValueTask DisposeAsync()
    {
        // Console first: its pages use the gateway's services.
        await Console.StopAsync();
        await Console.DisposeAsync();
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
    }

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
}
