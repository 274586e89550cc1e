using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReferralExchange.Core.Partners;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.WebConsole.Accounts;
using ReferralExchange.WebConsole.Core;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>Composition root of the console: Razor Pages, accounts and sign-in, cookies, its own TLS listener.</summary>
public static class ConsoleBuilder
{
    /// <summary>The console's public base URL, which is also the people's OpenID Connect issuer.</summary>
    public sealed record ConsoleIssuer(Uri Uri);

    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder, IServiceProvider gateway)
    {
        var options = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();
        builder.Services.Configure<ConsoleOptions>(builder.Configuration.GetSection(ConsoleOptions.Section));
        var paths = gateway.GetRequiredService<GatewayPaths>();

        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Information()
            // Framework request lines carry paths; ours never do (no PHI or ids in logs, issue 16 §4).
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With(new ReferralExchange.Gateway.Logging.RawPathRemovingEnricher())
            .WriteTo.Async(sink => sink.Console(new CompactJsonFormatter())),
            preserveStaticLogger: true);

        builder.Services.AddSingleton(new GatewayCore(gateway));
        builder.Services.AddSingleton(gateway.GetRequiredService<TimeProvider>());
        builder.Services.AddScoped<PersonCaller>();
        builder.Services.AddScoped<DevelopmentAccounts>();
        builder.Services.AddScoped<SetPasswordLinks>();
        builder.Services.AddScoped<FirstOperatorAccount>();
        builder.Services.AddScoped<TwoFactorEnrolment>();
        builder.Services.AddScoped<AccountAudit>();
        builder.Services.AddSingleton<ReferralReading>();
        builder.Services.AddSingleton<TaskActions>();

        var development = gateway.GetRequiredService<IOptions<GatewayOptions>>().Value.DevelopmentCertificates;
        var accountsFile = Path.Combine(paths.DataDirectory, options.AccountsFile);
        builder.Services.AddDbContext<AccountsDbContext>(db => db.UseAccounts(options.Database, accountsFile));
        var keys = ConsoleKeys.Load(options, paths, development);
        // Cookies and antiforgery tokens made by one replica (or before a restart) are read by the
        // others: one application name, one key ring in the accounts database, encrypted at rest.
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("referral-exchange-console")
            .PersistKeysToDbContext<AccountsDbContext>();
        if (keys.DataProtection is { } dataProtectionCertificate)
        {
            dataProtection.ProtectKeysWithCertificate(dataProtectionCertificate).UnprotectKeysWithAnyCertificate(dataProtectionCertificate);
        }
        builder.Services.AddIdentityCore<ConsoleUser>(identity =>
            {
                identity.Password.RequiredLength = 12;
                identity.Lockout.MaxFailedAccessAttempts = options.MaxFailedAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = options.LockoutDuration;
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.RequireUniqueEmail = false;
                identity.SignIn.RequireConfirmedAccount = false;
            })
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<ConsoleClaimsFactory>()
            .AddEntityFrameworkStores<AccountsDbContext>();
        // Set-password links (Identity's password-reset tokens): short-lived; one-time through the security stamp.
        builder.Services.Configure<DataProtectionTokenProviderOptions>(tokens => tokens.TokenLifespan = options.SetPasswordLinkLifetime);
        // The sign-in server's session (Identity's cookie) checks the account's stamp on every request, as the console session does.
        builder.Services.Configure<SecurityStampValidatorOptions>(stamp =>
        {
            stamp.ValidationInterval = TimeSpan.Zero;
            // The validator rebuilds the principal from the account; how the person signed in (amr: mfa) is not in the account, so it is carried over.
            stamp.OnRefreshingPrincipal = refreshing =>
            {
                if (refreshing.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity renewed && refreshing.CurrentPrincipal is { } current)
                {
                    foreach (var method in current.FindAll(ConsoleClaims.AuthenticationMethod).Where(m => !renewed.HasClaim(ConsoleClaims.AuthenticationMethod, m.Value)))
                    {
                        renewed.AddClaim(new System.Security.Claims.Claim(method.Type, method.Value));
                    }
                }
                return Task.CompletedTask;
            };
        });
        var certificate = ServerCertificate(options, gateway);
        var issuer = PeopleSignIn.Issuer(options);
        builder.Services.AddSingleton(new ConsoleIssuer(issuer));
        PeopleSignIn.Add(builder, options, issuer, certificate, keys);
        // Identity's own cookie is the sign-in server's session, read only by its authorization endpoint.
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/SignIn";
            cookie.AccessDeniedPath = "/Account/Denied";
            cookie.ExpireTimeSpan = options.SessionTimeout;
            cookie.SlidingExpiration = true;
            SecureCookie(cookie.Cookie, "__Host-rx-signin");
        });
        builder.Services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, cookie =>
        {
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            SecureCookie(cookie.Cookie, "__Host-rx-2fa");
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicies.ReferralSource, p => p.RequireAuthenticatedUser().RequireClaim(ConsoleClaims.Kind, PartnerKind.PoliceSocialWork.ToCode()))
            .AddPolicy(ConsolePolicies.Intake, p => p.RequireAuthenticatedUser().RequireClaim(ConsoleClaims.Kind,
                PartnerKind.BehavioralHealth.ToCode(), PartnerKind.Housing.ToCode(), PartnerKind.Veterans.ToCode()))
            .AddPolicy(ConsolePolicies.Operator, p => p.RequireAuthenticatedUser().RequireClaim(ConsoleClaims.Kind, PartnerKind.Operator.ToCode())
                .RequireClaim(ConsoleClaims.AuthenticationMethod, "mfa"));

        builder.Services.AddAntiforgery(antiforgery =>
        {
            SecureCookie(antiforgery.Cookie, "__Host-rx-af");
            antiforgery.FormFieldName = "__rx_af";
        });
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToFolder("/Account");
            pages.Conventions.AuthorizeFolder("/Referrals", ConsolePolicies.ReferralSource);
            pages.Conventions.AuthorizeFolder("/Inbox", ConsolePolicies.Intake);
            pages.Conventions.AuthorizeFolder("/Operator", ConsolePolicies.Operator);
        });

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 256 * 1024;
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port, listen => listen.UseHttps(https =>
            {
                // Server TLS only: a browser carries no partner certificate (issue 16 §3).
                https.ServerCertificate = certificate;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                https.OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = TlsCipherSuites.Policy();
            }));
        });
        return builder;
    }

    internal static void SecureCookie(CookieBuilder cookie, string name)
    {
        // __Host- prefix: Secure, Path=/, no Domain, so no other host can set or read it.
        cookie.Name = name;
        cookie.HttpOnly = true;
        cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.SameSite = SameSiteMode.Strict;
        cookie.Path = "/";
    }

    private static X509Certificate2 ServerCertificate(ConsoleOptions options, IServiceProvider gateway) =>
        options.ServerCertificatePath is { } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.ServerCertificatePassword)
            : gateway.GetRequiredService<GatewayCertificates>().Server;
}
