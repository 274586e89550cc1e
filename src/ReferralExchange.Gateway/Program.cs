using ReferralExchange.Gateway.Hosting;

// Referral Exchange gateway: FHIR R4 over mutual TLS. Everything is composed in Hosting/.
var app = await GatewayApp.CreateAsync(args);
await app.RunAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
