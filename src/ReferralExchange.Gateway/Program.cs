using ReferralExchange.Gateway.Hosting;
using Serilog;
using Serilog.Formatting.Compact;

// Referral Exchange gateway: FHIR R4 over mutual TLS. Everything is composed in Hosting/.
try
{
    var app = await GatewayApp.CreateAsync(args);
    await app.RunAsync();
    return 0;
}
catch (GatewayStartupException refusal)
{
    // A configuration production must not run with: one log line saying which, and a failing exit
    // code for the service manager (before the host exists, so a logger of its own).
    using var log = new LoggerConfiguration().WriteTo.Console(new CompactJsonFormatter()).CreateLogger();
    log.Fatal("Gateway refused to start: {Reason}", refusal.Message);
    return 2;
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
