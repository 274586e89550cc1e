using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 13 §2, no acknowledgement without durability: once the SQLite file under a running
/// gateway is removed or replaced, SQLite would go on writing to the file it holds open and no
/// restart would see it. Every write from then on answers 503, never 201, and one line says why.
/// </summary>
public sealed class DatabaseFileGoneTests
{
    [Fact]
    public async Task DatabaseFileDeleted_Submissions_Answer503NeverCreated()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());

        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(gateway.DatabasePath)!, "referral-exchange.db*"))
        {
            File.Delete(file);
        }

        // At once, before the 1 s check has run: the check after each commit holds the line by itself.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var response = await psw.PostNativeAsync(ReferralSamples.Native());
            answers.Add(response.StatusCode);
            Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.Single(gateway.Logs.Lines, line => line.Contains("Failing closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DatabaseFileReplaced_Submission_Answers503AndReadinessStateSaysWhy()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());

        // A copy renamed over the original: same content, another file.
        var copy = gateway.DatabasePath + ".copy";
        File.Copy(gateway.DatabasePath, copy);
        File.Move(copy, gateway.DatabasePath, overwrite: true);
        var guard = (ReferralExchange.Infrastructure.Persistence.DatabaseFileGuard)gateway.Services.GetService(typeof(ReferralExchange.Infrastructure.Persistence.DatabaseFileGuard))!;
        for (var i = 0; i < 30 && guard.IsIntact; i++)
        {
            await Task.Delay(100); // the 1 s timer trips it without any write
        }

        Assert.False(guard.IsIntact);
        Assert.Contains("replaced", guard.Problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await psw.PostNativeAsync(ReferralSamples.Native())).StatusCode);
    }
}
