using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// The baseline: Kestrel with the same server certificate and the same client-certificate chain
/// check, answering a fixed small FHIR JSON body. What is left of the gateway's cost after
/// dividing by this is the gateway's own work (routing, partner lookup, FHIR, SQLite).
/// </summary>
public static class BareMtlsEndpoint
{
    private const string Body = """{"resourceType":"Bundle","type":"searchset","total":0}""";

    public static async Task<WebApplication> StartAsync(X509Certificate2 serverCertificate, PartnerTrust trust, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => trust.Evaluate(certificate).IsTrusted;
        })));
        var app = builder.Build();
        app.MapGet("/fhir/Task", (HttpContext context) =>
        {
            context.Response.ContentType = "application/fhir+json";
            return context.Response.WriteAsync(Body);
        });
        await app.StartAsync();
        return app;
    }
}
