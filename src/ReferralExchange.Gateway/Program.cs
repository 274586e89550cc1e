using ReferralExchange.Gateway.Hosting;

// Referral Exchange gateway: FHIR R4 over mutual TLS. Everything is composed in Hosting/.
var builder = WebApplication.CreateBuilder(args);
builder.AddGateway();

var app = builder.Build();
await app.InitializeGatewayAsync();
app.UseGateway();
await app.RunAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
