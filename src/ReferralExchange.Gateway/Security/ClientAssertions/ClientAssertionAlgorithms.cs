using Microsoft.IdentityModel.Tokens;

namespace ReferralExchange.Gateway.Security.ClientAssertions;

/// <summary>
/// The JWS algorithms (RFC 7518 §3.1) a <c>private_key_jwt</c> client assertion may be signed with.
/// SMART App Launch 2.x "Client Authentication: Asymmetric" has clients support both <c>RS384</c>
/// and <c>ES384</c> and servers validate at least one; both are accepted here, and the ones our
/// partners' P-256 and RSA certificates most often carry beside them. Discovery
/// (<c>token_endpoint_auth_signing_alg_values_supported</c>, RFC 8414 §2) and OpenIddict's
/// validation read this one list, so what is advertised is what is accepted.
/// No symmetric (HS*) algorithm: the registered keys are public keys. No <c>none</c>.
/// </summary>
public static class ClientAssertionAlgorithms
{
    public static IReadOnlyList<string> Accepted { get; } =
    [
        SecurityAlgorithms.EcdsaSha384,
        SecurityAlgorithms.RsaSha384,
        SecurityAlgorithms.EcdsaSha256,
        SecurityAlgorithms.RsaSha256,
        SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256,
        SecurityAlgorithms.RsaSsaPssSha384,
    ];
}
