using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Gateway.Security;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>
/// The certificate → partner scheme is ASP.NET Core's certificate authentication, and it is never
/// the default: no scheme authenticates by default (ADR 0027), so a partner certificate alone never
/// stands in for an access token.
/// </summary>
public sealed class PartnerCertificateSchemeTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task PartnerScheme_IsTheCertificateAuthenticationHandler()
    {
        var schemes = gateway.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        var scheme = await schemes.GetSchemeAsync(PartnerCertificateAuthentication.Scheme);

        // The handler type is internal to the package: compare by assembly and name.
        Assert.Equal(typeof(CertificateAuthenticationOptions).Assembly, scheme?.HandlerType.Assembly);
        Assert.Equal("CertificateAuthenticationHandler", scheme?.HandlerType.Name);
    }

    [Fact]
    public async Task NoSchemeAuthenticatesByDefault_ChallengesGoToOpenIddictValidation()
    {
        // Nothing authenticates a request unasked (ADR 0027): the certificate scheme can never stand in
        // for the access token, which AccessTokenMiddleware validates by naming OpenIddict's scheme.
        var schemes = gateway.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
        Assert.Equal(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, (await schemes.GetDefaultChallengeSchemeAsync())?.Name);
        Assert.Equal(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, (await schemes.GetDefaultForbidSchemeAsync())?.Name);
    }

    [Fact]
    public async Task ApiRequest_WithPartnerCertificateButNoToken_Answers401()
    {
        using var bare = BareClient();

        var response = await bare.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.Housing}");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("access token", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A client with a registered partner's certificate that never fetches a token.</summary>
    private HttpClient BareClient() => gateway.ClientWithoutToken(GatewayFixture.Housing);
}
