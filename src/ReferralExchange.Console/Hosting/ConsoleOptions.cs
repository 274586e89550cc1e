using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>The <c>Console</c> configuration section (ADR 0022).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Address to listen on; loopback by default, like the gateway.</summary>
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>The console's own HTTPS port: server TLS only, browsers carry no partner certificate (issue 16 §3).</summary>
    public int Port { get; set; } = 5444;
    /// <summary>The https URL people open (the OpenID Connect issuer). Required outside development; there unset means the listen address.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>Production: the console's server certificate (PKCS#12). Unset: the gateway's server certificate.</summary>
    public string? ServerCertificatePath { get; set; }
    public string? ServerCertificatePassword { get; set; }
    /// <summary>A session ends after this long without a request (sliding), issue 16 §4.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(20);
    /// <summary>Failed password attempts before the account locks, and for how long (ASP.NET Core Identity lockout).</summary>
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>How long a one-time set-password link (new account, operator's reset) stays valid.</summary>
    public TimeSpan SetPasswordLinkLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>The accounts database as a SQLite file (the default provider), relative to Gateway:DataDirectory.</summary>
    public string AccountsFile { get; set; } = "console-accounts.db";
    /// <summary>
    /// <c>Console:Database</c>: the accounts' own database, the same settings as <c>Gateway:Database</c>
    /// (Provider sqlite/postgresql/sqlserver, ConnectionString, MigrationConnectionString), never the
    /// exchange's database or its roles (ADR 0024).
    /// </summary>
    public DatabaseOptions Database { get; set; } = new();
    /// <summary>
    /// The people's OpenIddict server and client keys (ADR 0024): an EC P-256 private key (PEM) that
    /// signs identity tokens, and a 256-bit key (base64) that encrypts codes and state. Every replica
    /// needs the same files. Default: <c>console-signing.key</c> and <c>console-encryption.key</c> under
    /// Gateway:CertificatesDirectory, required outside development; in development under
    /// Gateway:DataDirectory, made on first start.
    /// </summary>
    public string? SigningKeyPath { get; set; }
    public string? EncryptionKeyPath { get; set; }
    /// <summary>Data Protection (cookies, antiforgery): its key ring lives in the accounts database, encrypted with this certificate (PKCS#12 with an RSA key). Required outside development.</summary>
    public DataProtectionSettings DataProtection { get; set; } = new();
    /// <summary>
    /// The account made, with a one-time set-password link in the data directory, while no operator
    /// account has a password (a new installation: <see cref="Accounts.FirstOperatorAccount"/>).
    /// </summary>
    public string FirstOperatorUserName { get; set; } = "operator";
    /// <summary>Create one worker per partner and an operator on first start (development only).</summary>
    public bool SeedDevelopmentAccounts { get; set; } = true;
    /// <summary>Tests only: the password the seeded accounts get instead of a random one.</summary>
    public string? SeedPassword { get; set; }
    /// <summary>Tests only: the operator's authenticator key instead of a random one (base32).</summary>
    public string? SeedOperatorAuthenticatorKey { get; set; }
}

/// <summary><c>Console:DataProtection</c>.</summary>
public sealed class DataProtectionSettings
{
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
}
