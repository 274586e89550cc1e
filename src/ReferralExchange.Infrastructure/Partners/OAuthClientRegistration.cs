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
            // Replicas start together on one database (ADR 0020): another may create or update the
            // same client between our read and our write. Its write carries the same registration,
            // so read again and go on; a real, lasting conflict still stops the start.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await RegisterOneAsync(applications, partnerId, certificate, ct);
                    break;
                }
                catch (Exception raced) when (attempt < 5 && raced is OpenIddictExceptions.ConcurrencyException or Microsoft.EntityFrameworkCore.DbUpdateException)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), ct);
                }
            }
        }
    }

    private static async Task RegisterOneAsync(IOpenIddictApplicationManager applications, string partnerId, X509Certificate2 certificate, CancellationToken ct)
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
            return;
        }
        // Keep the registered key in step with the certificate (rotation, earlier registrations);
        // an unchanged key is not written again (every replica runs this at every start).
        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, ct);
        var registered = current.JsonWebKeySet?.Keys.Select(k => k.Kid).Order(StringComparer.Ordinal).ToList() ?? [];
        if (registered.SequenceEqual([KeyIdOf(certificate)]))
        {
            return;
        }
        current.JsonWebKeySet = descriptor.JsonWebKeySet;
        await applications.UpdateAsync(existing, current, ct);
    }
}
