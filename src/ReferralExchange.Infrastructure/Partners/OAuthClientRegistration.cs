using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>Registers each seeded partner as an OAuth confidential client authenticated by its certificate.</summary>
public static class OAuthClientRegistration
{
    public static string KeyIdOf(X509Certificate2 certificate) =>
        Base64UrlEncoder.Encode(System.Security.Cryptography.SHA256.HashData(certificate.RawData));

    private static JsonWebKey KeyOf(X509Certificate2 certificate)
    {
        var ec = certificate.GetECDsaPublicKey();
        var jwk = ec is not null
            ? JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ec))
            : JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(certificate.GetRSAPublicKey()!));
        jwk.Kid = KeyIdOf(certificate);
        jwk.Use = "sig";
        return jwk;
    }

    public static async Task RegisterAsync(IOpenIddictApplicationManager applications, IReadOnlyDictionary<string, X509Certificate2> certificates, CancellationToken ct)
    {
        foreach (var (partnerId, certificate) in certificates)
        {
            var existing = await applications.FindByClientIdAsync(partnerId, ct);
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = partnerId,
                ClientType = ClientTypes.Confidential,
                DisplayName = partnerId,
                // tls_client_auth matches the certificate's SAN dNSName against the client's redirect
                // URI host; the URI itself is never used (client_credentials has no redirect).
                RedirectUris = { new Uri($"https://{partnerId}.partners.referral-exchange.example/") },
                // The certificate's public key, so the partner can also authenticate with private_key_jwt
                // assertions signed by the same key (SMART Backend Services); kid = its x5t#S256.
                JsonWebKeySet = new JsonWebKeySet { Keys = { KeyOf(certificate) } },
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, ct);
            }
            else
            {
                // Keep the registered key in step with the certificate (rotation, earlier registrations).
                var current = new OpenIddictApplicationDescriptor();
                await applications.PopulateAsync(current, existing, ct);
                current.JsonWebKeySet = descriptor.JsonWebKeySet;
                await applications.UpdateAsync(existing, current, ct);
            }
        }
    }
}
