using ReferralExchange.Gateway.Hosting;
using Serilog;
using Serilog.Formatting.Compact;

// Referral Exchange gateway: FHIR R4 over mutual TLS. Everything is composed in Hosting/.
if (args is [ReferralExchange.Gateway.Health.HealthProbeCommand.Verb, ..])
{
    return await ReferralExchange.Gateway.Health.HealthProbeCommand.RunAsync(args);
}
WebApplication app;
try
{
    app = await GatewayApp.CreateAsync(args);
    await StartupCheck.RunAsync("Gateway:Host, Gateway:Port", "The gateway cannot listen", () => app.StartAsync());
}
catch (Exception refusal) when (refusal is not OutOfMemoryException)
{
    // A configuration or environment the gateway cannot run with (issue 13 §6): one log line saying
    // what and which setting, and a failing exit code for the service manager; never a dump. Before
    // the host's logger exists, so a logger of its own.
    using var log = new LoggerConfiguration().WriteTo.Console(new CompactJsonFormatter()).CreateLogger();
    log.Fatal("Gateway refused to start: {Reason}", refusal is GatewayStartupException
        ? refusal.Message
        : $"{refusal.GetType().Name}: {refusal.Message}");
    return 2;
}

// SIGTERM: Kestrel stops accepting, answers what is in flight, the workers finish their batch;
// all within Gateway:ShutdownTimeout.
try
{
    await app.WaitForShutdownAsync();
    await app.DisposeAsync();
    return 0;
}
catch (Exception failure) when (failure is not OutOfMemoryException)
{
    // Still one line and an exit code, not a dump: what is committed is durable either way.
    using var log = new LoggerConfiguration().WriteTo.Console(new CompactJsonFormatter()).CreateLogger();
    log.Fatal("Gateway did not stop cleanly: {Reason}", $"{failure.GetType().Name}: {failure.Message}");
    return 3;
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
