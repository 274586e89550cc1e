using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Partners;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx partner …</c>: onboarding and offboarding on the gateway's database. Changes take effect
/// on the partner's next request: the gateway reads the registry on every request.
/// </summary>
public static class PartnerCommands
{
    public static Command Create(TextWriter output)
    {
        var database = new CliDatabase();
        var id = new Option<string>("--id") { Description = "Partner id (lower-case, e.g. bh-northside)", Required = true };

        var list = new Command("list", "List partners, their status and certificates") { database };
        list.SetAction((parse, ct) => WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            foreach (var (partner, certificates) in await registry.ListAsync(ct))
            {
                await output.WriteLineAsync($"{partner.Id,-20} {partner.Kind,-20} {partner.Status,-10} {partner.Name}");
                if (partner.Purposes.Count > 0) await output.WriteLineAsync($"    purposes {string.Join(" ", partner.Purposes)}");
                foreach (var origin in partner.NotificationOrigins) await output.WriteLineAsync($"    notifies {origin}");
                foreach (var c in certificates)
                {
                    var retires = c.RetiresTicks is { } r ? $" retires {new DateTime(r, DateTimeKind.Utc):yyyy-MM-dd HH:mm}Z" : string.Empty;
                    await output.WriteLineAsync($"    cert {c.Thumbprint[..16]}… valid to {new DateTime(c.NotAfterTicks, DateTimeKind.Utc):yyyy-MM-dd}{retires}");
                }
            }
        }));

        var name = new Option<string>("--name") { Required = true };
        var kind = new Option<string>("--kind") { Description = "police-social-work, behavioral-health, housing, veterans, operator", Required = true };
        var endpoint = new Option<string?>("--endpoint") { Description = "A notification endpoint (https) whose origin its Subscriptions may notify" };
        var add = new Command("add", "Onboard a partner (its FHIR Organization is created)") { database, id, name, kind, endpoint };
        add.SetAction((parse, ct) => WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            await registry.AddAsync(parse.GetValue(id)!, parse.GetValue(name)!, parse.GetValue(kind)!, parse.GetValue(endpoint), ct);
            await output.WriteLineAsync($"added {parse.GetValue(id)}");
        }));

        var certs = new Option<DirectoryInfo>("--certs") { Description = "Development certificates folder", DefaultValueFactory = _ => new DirectoryInfo("certs-dev") };
        var caFolder = new Option<DirectoryInfo?>("--ca") { Description = "Development CA key folder (default: the --certs folder's sibling <name>-ca)" };
        var days = new Option<int>("--days") { DefaultValueFactory = _ => 365 };
        var overlap = new Option<int?>("--overlap-hours") { Description = "Rotate: the partner's other certificates keep working this long" };
        var issue = new Command("issue-cert", "Development: issue a client certificate from the dev CA and register it") { database, id, certs, caFolder, days, overlap };
        issue.SetAction((parse, ct) => WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            var files = new DevCertificateFiles(parse.GetValue(certs)!.FullName, parse.GetValue(caFolder)?.FullName);
            using var ca = files.LoadCa();
            var partnerId = parse.GetValue(id)!;
            var now = DateTimeOffset.UtcNow;
            using var certificate = ca.IssueClient(partnerId, now.AddMinutes(-5), now.AddDays(parse.GetValue(days)));
            DevCertificateFiles.WritePair(certificate, files.ClientCertificatePath(partnerId), files.ClientKeyPath(partnerId), files.ClientPfxPath(partnerId));
            await registry.RegisterCertificateAsync(partnerId, certificate, Hours(parse.GetValue(overlap)), ct);
            await output.WriteLineAsync($"issued and registered {files.ClientCertificatePath(partnerId)} ({CertificateThumbprint.Sha256(certificate)[..16]}…)");
        }));

        var certFile = new Option<FileInfo>("--cert") { Description = "PEM certificate issued by the partner CA", Required = true };
        var register = new Command("register-cert", "Production: register a certificate issued elsewhere (with --overlap-hours: rotate)") { database, id, certFile, overlap };
        register.SetAction((parse, ct) => WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(parse.GetValue(certFile)!.FullName);
            await registry.RegisterCertificateAsync(parse.GetValue(id)!, certificate, Hours(parse.GetValue(overlap)), ct);
            await output.WriteLineAsync($"registered {CertificateThumbprint.Sha256(certificate)[..16]}… for {parse.GetValue(id)}");
        }));

        var revokeCertFile = new Option<FileInfo?>("--cert") { Description = "The certificate to revoke (default: the partner's certificate in --certs)" };
        var revokeCert = new Command("revoke-cert", "Development: revoke a partner certificate in the dev CA's CRL") { id, certs, caFolder, revokeCertFile };
        revokeCert.SetAction(async (parse, ct) =>
        {
            var files = new DevCertificateFiles(parse.GetValue(certs)!.FullName, parse.GetValue(caFolder)?.FullName);
            var path = parse.GetValue(revokeCertFile)?.FullName ?? files.ClientCertificatePath(parse.GetValue(id)!);
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            using var ca = files.LoadCa();
            ca.Revoke(files.CrlPath, [certificate], DateTimeOffset.UtcNow);
            await output.WriteLineAsync($"revoked serial {certificate.SerialNumber} in {files.CrlPath}");
            return 0;
        });

        Command Status(string verb, string status, string description)
        {
            var command = new Command(verb, description) { database, id };
            command.SetAction((parse, ct) => WithRegistryAsync(database.Resolve(parse), output, async registry =>
            {
                await registry.SetStatusAsync(parse.GetValue(id)!, status, ct);
                await output.WriteLineAsync($"{parse.GetValue(id)} is {status}");
            }));
            return command;
        }

        return new Command("partner", "Partner onboarding and offboarding")
        {
            list, add, issue, register, revokeCert,
            PartnerPurposeCommands.Create(output, database, id),
            PartnerEndpointCommands.Create(output, database, id),
            Status("suspend", "suspended", "Refuse the partner from its next request on (reversible)"),
            Status("reinstate", "active", "Lift a suspension"),
            Status("revoke", "revoked", "Offboard for good: refused from the next request, certificates retired now"),
        };
    }

    private static TimeSpan? Hours(int? hours) => hours is { } h ? TimeSpan.FromHours(h) : null;

    internal static async Task<int> WithRegistryAsync(CliDatabaseChoice database, TextWriter output, Func<PartnerRegistry, Task> action)
    {
        if (database.Problem is { } problem)
        {
            await output.WriteLineAsync(problem);
            return 1;
        }
        // The same EF Core and OpenIddict stores the gateway uses, over its database file.
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.EntityFrameworkServiceCollectionExtensions.AddDbContext<GatewayDbContext>(services, database.Use);
        Microsoft.Extensions.DependencyInjection.OpenIddictExtensions.AddOpenIddict(services).AddCore(core => core.UseEntityFrameworkCore().UseDbContext<GatewayDbContext>());
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(provider);
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<GatewayDbContext>(scope.ServiceProvider);
        var oauth = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>(scope.ServiceProvider);
        var registry = new PartnerRegistry(db, new PartnerSeeder(db, TimeProvider.System), WriteGate.None(), TimeProvider.System, oauth);
        try
        {
            await action(registry);
            return 0;
        }
        catch (ArgumentException error)
        {
            await output.WriteLineAsync($"refused: {error.Message}");
            return 2;
        }
    }
}
