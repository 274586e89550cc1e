using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>The <c>Gateway</c> configuration section. Relative paths are resolved against the repository root when run from a checkout.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Address to listen on. Loopback by default: exposing the gateway is a deliberate act.</summary>
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5443;
    /// <summary>
    /// The absolute https URL partners use (links, Location, OAuth issuer, discovery). Required in
    /// production; in development it defaults to the listen address (https://localhost:5443).
    /// </summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>The database: provider, connection strings (<see cref="DatabaseOptions"/>).</summary>
    public DatabaseOptions Database { get; set; } = new();
    /// <summary>Older spelling of <c>Gateway:Database:Provider</c>, still read when that is not set.</summary>
    public string DatabaseProvider { get; set; } = "sqlite";
    /// <summary>Older spelling of <c>Gateway:Database:ConnectionString</c>.</summary>
    public string? ConnectionString { get; set; }
    public string DataDirectory { get; set; } = "data";
    public string DatabaseFile { get; set; } = "referral-exchange.db";
    public string CertificatesDirectory { get; set; } = "certs-dev";
    /// <summary>
    /// Development mode: create the development CA, server and partner certificates on first run.
    /// False is production mode: configured certificates, a required PublicBaseUrl, no CA key anywhere near.
    /// </summary>
    public bool DevelopmentCertificates { get; set; } = true;
    /// <summary>Development: where the dev CA's private key is kept, apart from <see cref="CertificatesDirectory"/>. Default: its sibling <c>{CertificatesDirectory}-ca</c>.</summary>
    public string? DevelopmentCaDirectory { get; set; }
    /// <summary>Production: the server certificate (PKCS#12) and the partner CA certificate(s) (PEM).</summary>
    public string? ServerCertificatePath { get; set; }
    public string? ServerCertificatePassword { get; set; }
    public List<string> PartnerCaPaths { get; set; } = [];
    /// <summary>The partner CA's CRL (DER), read offline and re-read when it changes. Development: certs-dev/ca.crl.</summary>
    public string? PartnerCrlPath { get; set; }
    public List<string> ServerHosts { get; set; } = ["localhost", "127.0.0.1"];
    /// <summary>Outbound mutual TLS (notifications): the gateway's client certificate (PKCS#12) and the anchors partners' servers must chain to.</summary>
    public string? OutboundClientCertificatePath { get; set; }
    public string? OutboundClientCertificatePassword { get; set; }
    public List<string> OutboundTrustAnchorPaths { get; set; } = [];
    public string PartnersFile { get; set; } = "partners.json";
    public string? ProfilesDirectory { get; set; }
    /// <summary>How long an access token lives (short: a stolen token is useless without the key anyway, RFC 8705 §3).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Largest request body accepted (a whole referral: transaction or native); larger bodies answer 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
    /// <summary>How long a client may take to complete the TLS handshake (Kestrel's default is 10 s; see KestrelMutualTls).</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How many parsed Consent versions the consent engine keeps in memory (least recently used evicted; about 1.4 KB each, so the default 20,000 is about 27 MB).</summary>
    public int ConsentCacheEntries { get; set; } = ReferralExchange.Infrastructure.Privacy.ConsentPolicyCache.DefaultEntries;

    /// <summary>On SIGTERM, how long requests in flight and the notification batch under way may take to finish.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest any request may take before it answers 503 (ASP.NET Core request timeouts).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest single-resource body (Task PUT, Procedure, Subscription): a real one is a few KB.</summary>
    public long MaxResourceBodyBytes { get; set; } = 256 * 1024;
}
