using ReferralExchange.Core.Notifications;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Core.Tests.Notifications;

/// <summary>Where notifications may go: registered https origins only.</summary>
public sealed class NotificationOriginTests
{
    [Theory]
    [InlineData("https://Hooks.Example/a/b?c", "https://hooks.example:443")]
    [InlineData("https://hooks.example:8443/", "https://hooks.example:8443")]
    [InlineData("http://hooks.example/", null)]
    [InlineData("https://user:pw@hooks.example/", null)]
    [InlineData("ftp://hooks.example/", null)]
    [InlineData("/relative", null)]
    public void Of_IsTheHttpsOriginOrNothing(string url, string? expected) => Assert.Equal(expected, NotificationOrigin.Of(url));

    [Theory]
    [InlineData("https://127.0.0.1/", true)]
    [InlineData("https://127.8.9.10/", true)]
    [InlineData("https://[::1]/", true)]
    [InlineData("https://[::ffff:127.0.0.1]/", true)]
    [InlineData("https://0.0.0.0/", true)]
    [InlineData("https://169.254.169.254/", true)]
    [InlineData("https://[fe80::1]/", true)]
    [InlineData("https://localhost/", true)]
    [InlineData("https://api.localhost/", true)]
    [InlineData("https://hooks.example/", false)]
    [InlineData("https://10.1.2.3/", false)]
    public void IsLocal_CatchesTheGatewaysOwnHost(string url, bool local) => Assert.Equal(local, NotificationOrigin.IsLocal(new Uri(url)));

    [Fact]
    public void IsRegistered_ComparesOriginsNotPrefixes()
    {
        var partner = new Partner("p", "P", PartnerKind.Housing, PartnerStatus.Active) { NotificationOrigins = ["https://hooks.example:443"] };
        Assert.True(NotificationOrigin.IsRegistered(partner, new Uri("https://HOOKS.example/any")));
        Assert.False(NotificationOrigin.IsRegistered(partner, new Uri("https://hooks.example.attacker.test/")));
        Assert.False(NotificationOrigin.IsRegistered(partner, new Uri("https://hooks.example:444/")));
        Assert.False(NotificationOrigin.IsRegistered(partner, new Uri("http://hooks.example/")));
    }
}
