using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Partners;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// The certificates the gateway runs with: its server certificate, the partner CA trust anchors,
/// and the client certificates to register for seed partners. In development they are created in
/// <c>certs-dev/</c> on first run; in production they are configured paths.
/// </summary>
public sealed class GatewayCertificates
{
    private GatewayCertificates(X509Certificate2 server, PartnerTrust trust, IReadOnlyDictionary<string, X509Certificate2> partnerCertificates,
        X509Certificate2? outboundClient, IReadOnlyList<X509Certificate2> outboundAnchors)
    {
        Server = server;
        Trust = trust;
        PartnerCertificates = partnerCertificates;
        OutboundClient = outboundClient;
        OutboundAnchors = outboundAnchors;
    }

    /// <summary>The certificate the gateway presents when it calls partners (notifications).</summary>
    public X509Certificate2? OutboundClient { get; }

    /// <summary>The anchors a partner's server certificate must chain to.</summary>
    public IReadOnlyList<X509Certificate2> OutboundAnchors { get; }

    public const string OutboundClientName = "gateway-client";

    public X509Certificate2 Server { get; }
    public PartnerTrust Trust { get; }
    public IReadOnlyDictionary<string, X509Certificate2> PartnerCertificates { get; }

    /// <summary>The settings a certificate problem points to, for the start-up refusal's one line.</summary>
    public static string SettingsFor(GatewayOptions options) => options.DevelopmentCertificates
        ? "Gateway:CertificatesDirectory, Gateway:DevelopmentCaDirectory"
        : "Gateway:ServerCertificatePath, Gateway:ServerCertificatePassword, Gateway:PartnerCaPaths, Gateway:PartnerCrlPath, Gateway:OutboundClientCertificatePath";

    public static GatewayCertificates Prepare(GatewayOptions options, GatewayPaths paths, PartnerSeedFile seed, TimeProvider time)
    {
        var partnerCertificates = new Dictionary<string, X509Certificate2>();
        foreach (var partner in seed.Partners)
        {
            foreach (var path in partner.Certificates ?? [])
            {
                partnerCertificates[partner.Id] = X509CertificateLoader.LoadCertificateFromFile(paths.Resolve(path));
            }
        }

        if (options.DevelopmentCertificates)
        {
            var files = new DevCertificateFiles(paths.CertificatesDirectory, paths.DevelopmentCaDirectory);
            files.EnsureCreated(seed.Partners.Select(p => p.Id).Append(OutboundClientName), options.ServerHosts, time.GetUtcNow());
            foreach (var partner in seed.Partners)
            {
                partnerCertificates.TryAdd(partner.Id, files.LoadClientPublic(partner.Id));
            }
            var devAnchors = options.OutboundTrustAnchorPaths.Count > 0
                ? options.OutboundTrustAnchorPaths.Select(p => X509CertificateLoader.LoadCertificateFromFile(paths.Resolve(p))).ToList()
                : [files.LoadCaPublic()];
            var ca = files.LoadCaPublic();
            return new GatewayCertificates(files.LoadServer(), new PartnerTrust([ca], time, new RevocationList(files.CrlPath, [ca])), partnerCertificates,
                files.LoadClient(OutboundClientName), devAnchors);
        }

        var server = X509CertificateLoader.LoadPkcs12FromFile(
            Existing(paths, options.ServerCertificatePath ?? throw new GatewayStartupException("Gateway:ServerCertificatePath is required when DevelopmentCertificates is false"), "Gateway:ServerCertificatePath"),
            options.ServerCertificatePassword);
        if (options.PartnerCaPaths.Count == 0)
        {
            throw new GatewayStartupException("Gateway:PartnerCaPaths is required when DevelopmentCertificates is false");
        }
        var anchors = options.PartnerCaPaths.Select(p => X509CertificateLoader.LoadCertificateFromFile(Existing(paths, p, "Gateway:PartnerCaPaths"))).ToList();
        RefuseCaKeys(options, paths, anchors);
        var outbound = options.OutboundClientCertificatePath is { } clientPath
            ? X509CertificateLoader.LoadPkcs12FromFile(Existing(paths, clientPath, "Gateway:OutboundClientCertificatePath"), options.OutboundClientCertificatePassword)
            : null;
        var outboundAnchors = options.OutboundTrustAnchorPaths.Select(p => X509CertificateLoader.LoadCertificateFromFile(Existing(paths, p, "Gateway:OutboundTrustAnchorPaths"))).ToList();
        var crl = options.PartnerCrlPath is { } crlPath ? new RevocationList(paths.Resolve(crlPath), anchors) : null;
        return new GatewayCertificates(server, new PartnerTrust(anchors, time, crl), partnerCertificates, outbound, outboundAnchors);
    }

    /// <summary>A configured file, resolved; a missing one stops the start naming it and its setting (issue 13 §6).</summary>
    private static string Existing(GatewayPaths paths, string configured, string setting)
    {
        var path = paths.Resolve(configured);
        return File.Exists(path) ? path : throw new GatewayStartupException($"The certificate file {path} does not exist (check {setting})");
    }

    /// <summary>
    /// Production holds the partner CA's certificate, never its key (finding 10): a CA key in a
    /// folder the gateway reads certificates from stops the start, naming the file.
    /// </summary>
    private static void RefuseCaKeys(GatewayOptions options, GatewayPaths paths, IReadOnlyList<X509Certificate2> anchors)
    {
        var configured = options.PartnerCaPaths.Append(options.ServerCertificatePath).Append(options.PartnerCrlPath).OfType<string>()
            .Select(p => Path.GetDirectoryName(paths.Resolve(p))).OfType<string>();
        var found = CaKeyScanner.Find(configured.Prepend(paths.CertificatesDirectory), anchors);
        if (found.Count > 0)
        {
            throw new GatewayStartupException($"A certificate authority's private key is in a folder the gateway reads ({string.Join(", ", found)}); production mode refuses to start: keep CA keys off the gateway");
        }
    }
}
