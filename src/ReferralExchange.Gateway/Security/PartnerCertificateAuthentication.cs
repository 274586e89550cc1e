using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// The certificate → partner authentication scheme, on ASP.NET Core's certificate authentication
/// (the package the design names). It runs per request, behind Kestrel's handshake-level refusal:
/// TLS sessions are resumed and a partner may be suspended between two requests of one connection.
/// The package checks the chain against the partner CA only (custom root trust), the validity
/// period and the clientAuth usage; <see cref="OnCertificateValidated"/> adds what it cannot: the
/// partner CA's CRL read offline from its file, a clientAuth EKU named explicitly, and the mapping
/// to a registered, active partner. It is never a default scheme and no authorization policy names
/// it: a policy listing it beside OpenIddict would be satisfied by the certificate alone.
/// </summary>
public static class PartnerCertificateAuthentication
{
    public const string Scheme = "PartnerCertificate";

    public const string PartnerIdClaim = "partner_id";

    public static AuthenticationBuilder AddPartnerCertificate(this AuthenticationBuilder builder, PartnerTrust trust) =>
        builder.AddCertificate(Scheme, options =>
        {
            options.AllowedCertificateTypes = CertificateTypes.Chained;
            options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            options.CustomTrustStore = new X509Certificate2Collection(trust.Anchors.ToArray());
            // Platform revocation would go online (CRL distribution points) or trust the OS cache;
            // the partner CA's CRL is checked offline from its file in OnCertificateValidated.
            options.RevocationMode = X509RevocationMode.NoCheck;
            options.ValidateCertificateUse = true;
            options.ValidateValidityPeriod = true;
            options.Events = new CertificateAuthenticationEvents { OnCertificateValidated = OnCertificateValidated };
        });

    private static async Task OnCertificateValidated(CertificateValidatedContext context)
    {
        var certificate = context.ClientCertificate;
        var trust = context.HttpContext.RequestServices.GetRequiredService<PartnerTrust>();
        // The package takes a certificate without any EKU extension as valid for every purpose.
        if (!PartnerTrust.HasClientAuthUsage(certificate) || trust.IsRevoked(certificate))
        {
            context.Fail(new PartnerRefusal("The client certificate is not trusted"));
            return;
        }
        var directory = context.HttpContext.RequestServices.GetRequiredService<IPartnerDirectory>();
        var thumbprint = CertificateThumbprint.Sha256(certificate);
        var partner = await directory.FindByCertificateAsync(thumbprint, context.HttpContext.RequestAborted);
        if (partner is null || !partner.IsActive)
        {
            context.Fail(new PartnerRefusal("The client certificate is not registered to an active partner"));
            return;
        }
        PartnerContext.Set(context.HttpContext, partner);
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(PartnerIdClaim, partner.Id), new Claim(ClaimTypes.Thumbprint, thumbprint)], Scheme));
        context.Success();
    }
}

/// <summary>Why a validated certificate is still not a partner's; its message is the OperationOutcome's.</summary>
public sealed class PartnerRefusal(string message) : Exception(message);
