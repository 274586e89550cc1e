using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// OpenIddict as the gateway's authorization server (issue 3, first part): <c>client_credentials</c>
/// with mutual-TLS client authentication against the partner CA (RFC 8705 §2.1 tls_client_auth)
/// and access tokens bound to the client certificate (RFC 8705 §3, <c>cnf.x5t#S256</c>).
/// The API's own checks of a validated token (binding required, iat/nbf/exp bounds, purpose of use)
/// are in <c>Security/RequireCertificateBinding</c> and <c>Security/AccessTokenRules</c>.
/// </summary>
public static class OAuthSetup
{
    public const string TokenPath = "/connect/token";

    /// <summary>The audience of every access token: this gateway's FHIR API. Tokens for anything else are refused.</summary>
    public const string ApiAudience = "referral-exchange-api";

    public static void AddOAuth(this WebApplicationBuilder builder, GatewayOptions options, GatewayPaths paths, GatewayCertificates certificates)
    {
        var signingKey = LoadOrCreateSigningKey(Path.Combine(paths.CertificatesDirectory, "token-signing.key"));
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<GatewayDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenPath.TrimStart('/'));
                server.SetConfigurationEndpointUris(".well-known/openid-configuration");
                server.AllowClientCredentialsFlow();
                // The trust anchors must be public certificates only (OpenIddict ID0511).
                var anchors = new X509Certificate2Collection(certificates.Trust.Anchors.Select(a => X509CertificateLoader.LoadCertificate(a.RawData)).ToArray());
                server.EnablePublicKeyInfrastructureTlsClientAuthentication(anchors);
                server.UseClientCertificateBoundAccessTokens();
                // Partners authenticate by certificate (tls_client_auth) or by private_key_jwt (SMART
                // client-confidential-asymmetric); none holds a secret, so OpenIddict's default
                // client_secret_post is not offered (nor advertised in discovery).
                server.Configure(o => o.ClientAuthenticationMethods.Remove(OpenIddict.Abstractions.OpenIddictConstants.ClientAuthenticationMethods.ClientSecretPost));
                // SMART's shape of a client assertion: typ JWT, aud the token URL, alg and kid rules.
                server.AddEventHandler(Security.ClientAssertions.SmartClientAssertionValidation.Descriptor);
                server.AddEventHandler(Security.ClientAssertions.ClientAssertionTokenType.Descriptor);
                server.AddEventHandler(Security.ClientAssertions.ClientAssertionDiscovery.Descriptor);
                server.AddEventHandler(Security.ClientAssertions.ClientAssertionErrorCode.Descriptor);
                // Which SMART scopes a partner may hold is decided per partner kind in the token
                // endpoint (smart-scopes.json), not per OpenIddict application.
                server.DisableScopeValidation();
                server.IgnoreScopePermissions();
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                server.AddSigningKey(signingKey);
                server.AddEphemeralEncryptionKey();
                // Resource servers verify a signed JWT; there is nothing secret in it to encrypt.
                server.DisableAccessTokenEncryption();
                // Access tokens are short-lived, self-contained and bound to a certificate; the partner
                // itself is checked on every request. Storing each token would put a database write
                // (SQLite's single writer) on every issuance for nothing.
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.AddEventHandler(PublicBaseUriHandler.Descriptor);
                server.UseAspNetCore().EnableTokenEndpointPassthrough();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.AddAudiences(ApiAudience);
                // cnf is required, not optional (RFC 8705 §3; issue 10): see RequireCertificateBinding.
                validation.AddEventHandler(Security.RequireCertificateBinding.Descriptor);
                validation.UseAspNetCore();
            });
        // The issuer is the public base URL (RFC 8414 §2), set once it is known: in development it is
        // derived from the listen address after the server has started. Without a configured issuer
        // OpenIddict would infer one from each request's Host header.
        builder.Services.AddOptions<OpenIddict.Server.OpenIddictServerOptions>()
            .Configure<PublicBaseUrl>((server, publicBase) => server.Issuer = publicBase.Issuer);
        // No default authenticate scheme (ADR 0027): UseAuthentication() would otherwise validate the
        // access token's signature on every request, although nothing reads HttpContext.User. The
        // API's token is validated by AccessTokenMiddleware, once per connection and certificate
        // (ValidatedTokenCache), and the certificate by PartnerAuthenticationMiddleware, each naming
        // its scheme; UseAuthentication() still runs OpenIddict's server on its own endpoints.
        // Challenge and forbid keep a default, so nothing that challenges without a scheme answers 500.
        builder.Services.AddAuthentication(authentication =>
        {
            authentication.DefaultChallengeScheme = OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
            authentication.DefaultForbidScheme = OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        });
        builder.Services.AddAuthorization();
    }

    private static SecurityKey LoadOrCreateSigningKey(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return new ECDsaSecurityKey(key) { KeyId = Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16] };
    }
}
