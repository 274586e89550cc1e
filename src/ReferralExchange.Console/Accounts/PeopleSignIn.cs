using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Client;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// How people sign in (issue 16 must-hold 2, ADR 0022): OpenID Connect authorization code with
/// PKCE (RFC 7636) against the exchange's own OpenIddict server for people. That server cannot
/// live on the API port: every connection there must present a partner certificate, and browsers
/// carry none. So it is served here, on the console's server-TLS port, and authenticates people
/// with ASP.NET Core Identity (hashed passwords, lockout, TOTP). The console is its OpenIddict
/// client; its session is the result of the code exchange, never of the password form itself.
/// Production can federate instead: register the agency's identity provider as another client
/// registration (docs/console.md).
/// </summary>
public static class PeopleSignIn
{
    public const string SessionScheme = "ConsoleSession";
    /// <summary>Password proven, second factor still to enrol (an operator's first sign-in): honoured only by the enrolment page.</summary>
    public const string EnrolmentScheme = "ConsoleTwoFactorEnrolment";
    public const string ClientId = "rx-console";
    public const string Provider = "local";
    public const string CallbackPath = "callback/login/local";

    /// <summary>
    /// The console's public base URL: configured (required outside development, checked by
    /// <see cref="Hosting.ConsoleStartupChecks"/>), or in development its listen address. A port of 0
    /// is replaced by a free one, since the issuer must be known before the listener starts.
    /// </summary>
    public static Uri Issuer(Hosting.ConsoleOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl)) return Hosting.ConsoleStartupChecks.ParsePublicBaseUrl(options.PublicBaseUrl);
        if (options.Port == 0)
        {
            using var probe = new TcpListener(IPAddress.Parse(options.Host), 0);
            probe.Start();
            options.Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        return new Uri($"https://{options.Host}:{options.Port}/");
    }

    public static void Add(WebApplicationBuilder builder, Hosting.ConsoleOptions options, Uri issuer, X509Certificate2 serverCertificate, Hosting.ConsoleKeys keys)
    {
        builder.Services.AddAuthentication(auth =>
            {
                auth.DefaultScheme = SessionScheme;
                auth.DefaultChallengeScheme = OpenIddictClientAspNetCoreDefaults.AuthenticationScheme;
                // Signed in but not allowed: the "not allowed" page, not another sign-in round trip.
                auth.DefaultForbidScheme = SessionScheme;
            })
            .AddCookie(SessionScheme, cookie =>
            {
                cookie.AccessDeniedPath = "/Account/Denied";
                cookie.ExpireTimeSpan = options.SessionTimeout;
                cookie.SlidingExpiration = true;
                Hosting.ConsoleBuilder.SecureCookie(cookie.Cookie, "__Host-rx-session");
                cookie.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
            })
            .AddCookie(EnrolmentScheme, cookie =>
            {
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(10);
                cookie.SlidingExpiration = false;
                Hosting.ConsoleBuilder.SecureCookie(cookie.Cookie, "__Host-rx-enrol");
            })
            .AddIdentityCookies();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<AccountsDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(issuer);
                server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile);
                // The same keys on every replica and across restarts (ADR 0024): a code issued by one
                // replica is redeemed at another, an identity token it signed validates anywhere.
                server.AddEncryptionKey(keys.Encryption).AddSigningKey(keys.Signing);
                server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
            })
            .AddClient(client =>
            {
                client.AllowAuthorizationCodeFlow();
                // The issuer of the client's own state tokens: the public URL, never the Host a
                // request came in on, so any replica accepts the state another made (ADR 0024).
                client.SetClientUri(issuer);
                // The state round-tripped through the browser may come back to another replica.
                client.AddEncryptionKey(keys.Encryption).AddSigningKey(keys.Signing);
                client.SetRedirectionEndpointUris(CallbackPath);
                client.UseAspNetCore().EnableRedirectionEndpointPassthrough();
                // The back channel (discovery, code exchange) goes to this same host: trust exactly its certificate.
                client.UseSystemNetHttp().ConfigureHttpClientHandler(handler =>
                    handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                        certificate is not null && certificate.RawData.AsSpan().SequenceEqual(serverCertificate.RawData));
                client.AddRegistration(new OpenIddictClientRegistration
                {
                    Issuer = issuer,
                    ProviderName = Provider,
                    ClientId = ClientId,
                    // Absolute, from the public URL: a relative one would be completed from the
                    // request's Host header, and differ between a replica's own address and the balancer's.
                    RedirectUri = new Uri(issuer, CallbackPath),
                    Scopes = { Scopes.OpenId, Scopes.Profile },
                    // Query, not form_post: form_post answers with an auto-submitting script the CSP forbids.
                    ResponseModes = { ResponseModes.Query },
                });
            });
    }

    /// <summary>
    /// Registers the console as a public client of the people's server: code flow, PKCE required,
    /// this redirect only. Updated in place, never deleted and re-created: deleting the application
    /// would delete the codes and authorizations under way with it, so a restarting replica would
    /// end its siblings' sign-ins (ADR 0024). Replicas starting together may race; the loser reads again.
    /// </summary>
    public static async Task RegisterClientAsync(IOpenIddictApplicationManager applications, Uri issuer, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RegisterOnceAsync(applications, issuer, ct);
                return;
            }
            catch (Exception raced) when (attempt < 5 && raced is OpenIddictExceptions.ConcurrencyException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), ct);
            }
        }
    }

    private static async Task RegisterOnceAsync(IOpenIddictApplicationManager applications, Uri issuer, CancellationToken ct)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "Referral Exchange console",
            RedirectUris = { new Uri(issuer, CallbackPath) },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        if (await applications.FindByClientIdAsync(ClientId, ct) is not { } existing)
        {
            await applications.CreateAsync(descriptor, ct);
            return;
        }
        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, ct);
        if (current.RedirectUris.SetEquals(descriptor.RedirectUris) && current.Permissions.SetEquals(descriptor.Permissions)
            && current.Requirements.SetEquals(descriptor.Requirements) && current.ClientType == descriptor.ClientType)
        {
            // Every replica runs this at every start: an unchanged registration is not written again.
            return;
        }
        await applications.UpdateAsync(existing, descriptor, ct);
    }
}
