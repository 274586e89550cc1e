using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// The certificate authentication scheme, on ASP.NET Core's certificate authentication (the
/// package the design names), behind Kestrel's handshake-level refusal. The package checks the
/// chain against the partner CA only (custom root trust), the validity period and the clientAuth
/// usage; <see cref="OnCertificateValidated"/> adds a clientAuth EKU named explicitly. All of that
/// depends on the certificate alone, so its result is cached per certificate (the package's
/// validation cache): building the chain on every request was 4% of a read's CPU
/// (docs/benchmarks.md). What can change while a connection stays open is checked on every request
/// by <see cref="PartnerAuthenticationMiddleware"/>: the CRL, the expiry, and the registered
/// partner's status. It is never a default scheme and no authorization policy names it: a policy
/// listing it beside OpenIddict would be satisfied by the certificate alone.
/// </summary>
public static class PartnerCertificateAuthentication
{
    public const string Scheme = "PartnerCertificate";

    /// <summary>How long a certificate's chain validation is reused; the per-request checks do not depend on it.</summary>
    public static readonly TimeSpan ValidationReuse = TimeSpan.FromMinutes(2);

    public static AuthenticationBuilder AddPartnerCertificate(this AuthenticationBuilder builder, PartnerTrust trust)
    {
        builder.AddCertificateCache(options =>
        {
            options.CacheEntryExpiration = ValidationReuse;
            options.CacheSize = 4096;
        });
        return builder.AddCertificate(Scheme, options =>
        {
            options.AllowedCertificateTypes = CertificateTypes.Chained;
            options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            options.CustomTrustStore = new X509Certificate2Collection(trust.Anchors.ToArray());
            // Platform revocation would go online (CRL distribution points) or trust the OS cache;
            // the partner CA's CRL is checked offline from its file, per request, in the middleware.
            options.RevocationMode = X509RevocationMode.NoCheck;
            options.ValidateCertificateUse = true;
            options.ValidateValidityPeriod = true;
            options.Events = new CertificateAuthenticationEvents { OnCertificateValidated = OnCertificateValidated };
        });
    }

    private static Task OnCertificateValidated(CertificateValidatedContext context)
    {
        var certificate = context.ClientCertificate;
        // The package takes a certificate without any EKU extension as valid for every purpose.
        if (!PartnerTrust.HasClientAuthUsage(certificate))
        {
            context.Fail(new PartnerRefusal("The client certificate is not trusted"));
            return Task.CompletedTask;
        }
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Thumbprint, CertificateThumbprint.Sha256(certificate))], Scheme));
        context.Success();
        return Task.CompletedTask;
    }
}

/// <summary>Why a validated certificate is still not a partner's; its message is the OperationOutcome's.</summary>
public sealed class PartnerRefusal(string message) : Exception(message);
