using ReferralExchange.Core.Authorization;
using ReferralExchange.Core.Partners;
using ReferralExchange.Gateway.Security.ClientAssertions;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// The SMART App Launch 2.x discovery document (conformance.html "Metadata"; Backend Services):
/// only what the gateway actually does. It offers the <c>client_credentials</c> grant to backend
/// systems, authenticated by their TLS certificate (RFC 8705 §2.1) or by a <c>private_key_jwt</c>
/// assertion signed with the certificate's key (SMART <c>client-confidential-asymmetric</c>), and
/// SMART v2 system scopes (<c>permission-v2</c>). There is no authorization endpoint, so nothing of
/// the App Launch flow is listed (<c>authorization_endpoint</c>, <c>response_types_supported</c>,
/// <c>code_challenge_methods_supported</c> describe that endpoint). <c>issuer</c> is the one OpenIddict's
/// discovery and tokens name (SMART requires it only with <c>sso-openid-connect</c>, but clients that
/// check a token's <c>iss</c> look for it here); no <c>jwks_uri</c>, which SMART ties to OpenID Connect.
/// </summary>
public static class SmartConfiguration
{
    public static IReadOnlyDictionary<string, object> For(PublicBaseUrl publicBase) => new Dictionary<string, object>
    {
        ["issuer"] = publicBase.Root,
        // Absolute, from the public base URL, never from the request's Host (SMART: "All endpoint URLs ... SHALL be absolute").
        ["token_endpoint"] = SmartClientAssertionValidation.TokenEndpointUrl(publicBase.Issuer),
        ["grant_types_supported"] = new[] { "client_credentials" },
        ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt", "tls_client_auth" },
        ["token_endpoint_auth_signing_alg_values_supported"] = ClientAssertionAlgorithms.Accepted,
        // RFC 8705 §3.3: every access token is bound to the client certificate.
        ["tls_client_certificate_bound_access_tokens"] = true,
        ["scopes_supported"] = Enum.GetValues<PartnerKind>().SelectMany(k => SmartScopes.Default.AllowedFor(k)).Distinct().Order(StringComparer.Ordinal).ToArray(),
        ["capabilities"] = new[] { "client-confidential-asymmetric", "permission-v2" },
    };
}
