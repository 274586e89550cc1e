using System.CommandLine;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary><c>bare</c>: the bare Kestrel mTLS endpoint as its own process, so the outside run measures it like the gateway.</summary>
public static class BareCommand
{
    public static Command Create()
    {
        var certs = new Option<string>("--certs") { Description = "Certificate folder (server.pfx, ca.crt)", Required = true };
        var port = new Option<int>("--port") { Description = "Loopback port", Required = true };
        var command = new Command("bare", "Serve the bare Kestrel mTLS endpoint until stopped (SIGTERM)") { certs, port };
        command.SetAction(async (parse, ct) =>
        {
            var files = new DevCertificateFiles(parse.GetValue(certs)!);
            var trust = new PartnerTrust([files.LoadCaPublic()], TimeProvider.System);
            await using var app = await BareMtlsEndpoint.StartAsync(files.LoadServer(), trust, parse.GetValue(port));
            Console.WriteLine($"bare endpoint listening on {app.Urls.First()}");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
