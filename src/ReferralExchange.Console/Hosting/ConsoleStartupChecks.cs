using System.Data.Common;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>
/// What the console refuses to start with outside development (ADR 0024), checked before the
/// gateway starts so the refusal is one line at once (as the gateway's own StartupCheck): no or a
/// bad <c>Console:PublicBaseUrl</c> (it is the people's OpenID Connect issuer: tokens and redirects
/// must not follow a request's Host header), and accounts that would not be shared by replicas or
/// that would share the exchange's database role.
/// </summary>
public static class ConsoleStartupChecks
{
    private static readonly string[] UserKeys = ["Username", "User ID", "UserID", "UID", "User", "User Name"];

    public static void Run(IConfiguration configuration)
    {
        var gateway = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var console = configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();
        var development = gateway.DevelopmentCertificates;
        if (!string.IsNullOrWhiteSpace(console.PublicBaseUrl))
        {
            ParsePublicBaseUrl(console.PublicBaseUrl);
        }
        else if (!development)
        {
            throw new GatewayStartupException("Console:PublicBaseUrl is required in production mode (Gateway:DevelopmentCertificates=false): it is the people's OpenID Connect issuer");
        }
        var accounts = StartupCheck.Run(Accounts.AccountsDatabase.Section + ":Provider", "The accounts database provider is not known", () => console.Database.Validated());
        var exchange = StartupCheck.Run("Gateway:Database:Provider", "The database provider is not known",
            () => gateway.Database.WithFallback(gateway.DatabaseProvider, gateway.ConnectionString).Validated());
        if (!development && exchange.Kind != DatabaseProvider.Sqlite && accounts.Kind == DatabaseProvider.Sqlite)
        {
            throw new GatewayStartupException($"Console:Database:Provider is required in production mode when the exchange runs on {exchange.Kind}: replicas must share the accounts, in a database of their own (ADR 0024)");
        }
        if (accounts.Kind != DatabaseProvider.Sqlite)
        {
            var accountRoles = new[] { accounts.ConnectionString, accounts.MigrationConnectionString }.Select(UserOf).OfType<string>();
            var exchangeRoles = new[] { exchange.ConnectionString, exchange.MigrationConnectionString }.Select(UserOf).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (accountRoles.FirstOrDefault(exchangeRoles.Contains) is not null)
            {
                throw new GatewayStartupException("Console:Database:ConnectionString logs in as a role of the exchange's database (Gateway:Database): the accounts need a role of their own, which can never reach the audit trail (ADR 0024)");
            }
        }
    }

    /// <summary>An absolute https origin (scheme, host, optional port): the console's pages and sign-in endpoints live at its root.</summary>
    public static Uri ParsePublicBaseUrl(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new GatewayStartupException("Console:PublicBaseUrl must be an absolute https URL with no path, query, fragment or user info (e.g. https://console.example.org): it is the people's OpenID Connect issuer");
        }
        return uri;
    }

    private static string? UserOf(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return UserKeys.Select(k => parsed.TryGetValue(k, out var v) ? v?.ToString() : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }
}
