using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Maps the TLS client certificate to a registered, active partner on every request. The handshake
/// already refused certificates that do not chain to the partner CA; this check runs again per
/// request because TLS sessions are resumed and a partner may be suspended in between.
/// </summary>
public sealed class PartnerAuthenticationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IPartnerDirectory directory, PartnerTrust trust)
    {
        var certificate = context.Connection.ClientCertificate
            ?? throw new GatewayException(ErrorKind.NotAuthenticated, "security", "A client certificate is required");

        // Defence in depth: the handshake callback checked the chain, but a resumed session skips
        // it. The chain cannot change within a connection, so it is built once per connection;
        // the validity period and the registry are checked on every request.
        var verdict = ChainVerdictFor(context, certificate, trust);
        if (!verdict.IsTrusted || !trust.IsWithinValidity(certificate) || trust.IsRevoked(certificate))
        {
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", "The client certificate is not trusted");
        }

        var partner = await directory.FindByCertificateAsync(CertificateThumbprint.Sha256(certificate), context.RequestAborted);
        if (partner is null || !partner.IsActive)
        {
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", "The client certificate is not registered to an active partner");
        }
        PartnerContext.Set(context, partner);
        await next(context);
    }

    private static TrustVerdict ChainVerdictFor(HttpContext context, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, PartnerTrust trust)
    {
        var items = context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items;
        if (items?.TryGetValue(typeof(TrustVerdict), out var cached) == true && cached is (string thumbprint, TrustVerdict verdict)
            && thumbprint == certificate.Thumbprint)
        {
            return verdict;
        }
        var fresh = trust.Evaluate(certificate);
        if (items is not null)
        {
            items[typeof(TrustVerdict)] = (certificate.Thumbprint, fresh);
        }
        return fresh;
    }
}
