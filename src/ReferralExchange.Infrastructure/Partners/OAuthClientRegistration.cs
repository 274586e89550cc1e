using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>Registers each seeded partner as an OAuth confidential client authenticated by its certificate.</summary>
public static class OAuthClientRegistration
{
    public static async Task RegisterAsync(IOpenIddictApplicationManager applications, IReadOnlyDictionary<string, X509Certificate2> certificates, CancellationToken ct)
    {
        foreach (var (partnerId, certificate) in certificates)
        {
            if (await applications.FindByClientIdAsync(partnerId, ct) is not null)
            {
                continue;
            }
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = partnerId,
                ClientType = ClientTypes.Confidential,
                DisplayName = partnerId,
                // tls_client_auth matches the certificate's SAN dNSName against the client's redirect
                // URI host; the URI itself is never used (client_credentials has no redirect).
                RedirectUris = { new Uri($"https://{partnerId}.partners.referral-exchange.example/") },
                JsonWebKeySet = new JsonWebKeySet { Keys = { JsonWebKeyConverter.ConvertFromX509SecurityKey(new X509SecurityKey(certificate), representAsRsaKey: false) } },
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
            await applications.CreateAsync(descriptor, ct);
        }
    }
}
