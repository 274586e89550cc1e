using ReferralExchange.Cli;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Workflow;

/// <summary>The README's end-to-end demo (<c>rx demo</c>) plays its whole story against a real gateway.</summary>
public sealed class DemoTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Demo_AgainstARunningGateway_PlaysTheClosedLoopToTheRefusedRead()
    {
        var output = new StringWriter();

        var exit = await CliApp.RunAsync(["demo", "--gateway", gateway.BaseAddress.ToString(), "--certs", gateway.Certificates.Directory], output);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("refused (404)", output.ToString());
        Assert.EndsWith("DEMO COMPLETE", output.ToString().TrimEnd());
    }
}
