using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.ConsoleTests.Infrastructure;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.ConsoleTests;

/// <summary>Same trail: a console action is audited as the signed-in person (BALP user agent, requestor) acting for their organization.</summary>
public sealed class ConsoleAuditTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task ReferralCreatedInConsole_IsAuditedWithThePersonAsRequestingUserAgent()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var taskId = await ConsoleReferrals.CreateAsync(psw);

        using var scope = console.GatewayServices.CreateScope();
        var (_, page) = await scope.ServiceProvider.GetRequiredService<IAuditQuery>().ListAsync("psw-metro", null, [AuditActions.Create], true, null, 0, 100);
        var (sequence, record) = page.Single(p => p.Record.Resources.Any(r => r.Reference.StartsWith($"Task/{taskId}", StringComparison.Ordinal)));
        Assert.Equal(ConsoleFixture.Psw, record.SignedInUser);
        Assert.Equal("psw-metro", record.PartnerId);

        var audit = AuditEventMapper.ToAuditEvent(sequence, record, new AuditServer(AuditServer.DefaultDeviceId, "test", "https://localhost/fhir"));
        var person = Assert.Single(audit.Agent, a => a.Requestor == true);
        Assert.Equal("humanuser", person.Type!.Coding.Single().Code);
        Assert.Equal(ConsoleFixture.Psw, person.Who!.Identifier!.Value);
        Assert.Contains(audit.Agent, a => a.Who?.Reference == "Organization/psw-metro" && a.Requestor == false);
    }

    [Fact]
    public async Task ConsoleAuditRecords_StillVerify()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        await ConsoleReferrals.CreateAsync(psw);
        using var scope = console.GatewayServices.CreateScope();
        var report = await scope.ServiceProvider.GetRequiredService<ReferralExchange.Infrastructure.Audit.AuditVerificationService>().VerifyAsync(false, CancellationToken.None);
        Assert.True(report.IsIntact, report.Reason);
    }
}
