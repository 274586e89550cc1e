using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Gateway.Security;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>
/// The certificate → partner scheme is ASP.NET Core's certificate authentication, and it is never
/// the default: the API's default authenticate scheme stays OpenIddict validation, so a partner
/// certificate alone never stands in for an access token (NOTES-dotnet.md, the OpenIddict trap).
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
    public async Task DefaultAuthenticateScheme_IsOpenIddictValidation()
    {
        var schemes = gateway.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        var scheme = await schemes.GetDefaultAuthenticateSchemeAsync();

        Assert.Equal(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, scheme?.Name);
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
    private HttpClient BareClient()
    {
        var certificate = gateway.Certificates.LoadClient(GatewayFixture.Housing);
        var ca = gateway.Certificates.LoadCaPublic();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => ReferralExchange.Infrastructure.Certificates.CustomRootValidation.ChainsTo(server, [ca]),
            },
        };
        return new HttpClient(handler) { BaseAddress = gateway.BaseAddress };
    }
}
