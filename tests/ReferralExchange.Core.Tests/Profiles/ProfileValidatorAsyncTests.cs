using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>ADR 0030: requests validate through the gate and find exactly what a direct validation finds.</summary>
public sealed class ProfileValidatorAsyncTests
{
    private static readonly ProfilePackage Package = ProfilePackage.Load(ProfilePackage.Locate(AppContext.BaseDirectory));

    private static Resource Example(string file, Action<JsonObject>? change = null)
    {
        var json = JsonNode.Parse(File.ReadAllText(Package.ExampleFiles.Single(f => Path.GetFileName(f) == file)))!.AsObject();
        change?.Invoke(json);
        return FhirJson.ParseStored(json.ToJsonString());
    }

    /// <summary>A code outside a required binding to our ValueSet: the check that takes Firely's blocking hop.</summary>
    private static void UnknownServiceCode(JsonObject request) => request["code"]!["coding"]![0]!["code"] = "not-a-referral-service";

    [Fact]
    public async System.Threading.Tasks.Task ValidateAsync_OverSeveralResources_FindsEveryIssueEachDirectValidationFinds()
    {
        Resource[] resources =
        [
            Example("Task-example.json", t => { t["status"] = "rejected"; t.Remove("statusReason"); }),
            Example("Task-example.json"),
            Example("ServiceRequest-example.json", UnknownServiceCode),
        ];
        var direct = resources.SelectMany(SharedValidator.Get.Validate).ToList();

        var gated = await SharedValidator.Get.ValidateAsync(resources, CancellationToken.None);

        Assert.Contains(gated, i => i.Message.Contains("rx-task-1"));
        Assert.Contains(gated, i => i.Code == "code-invalid" && i.Expression!.Contains("ServiceRequest.code"));
        Assert.Equal(direct.Select(i => (i.Code, i.Expression, i.Message)), gated.Select(i => (i.Code, i.Expression, i.Message)));
    }

    [Fact]
    public async System.Threading.Tasks.Task EnsureValidAsync_OnAnInvalidResource_RefusesAsUnprocessableWithTheIssues()
    {
        var request = Example("ServiceRequest-example.json", UnknownServiceCode);

        var refusal = await Assert.ThrowsAsync<GatewayException>(() => SharedValidator.Get.EnsureValidAsync(request, CancellationToken.None));

        Assert.Equal(ErrorKind.Unprocessable, refusal.Kind);
        Assert.Contains(refusal.Issues, i => i.Code == "code-invalid" && i.Expression!.Contains("ServiceRequest.code"));
    }

    [Fact]
    public async System.Threading.Tasks.Task EnsureValidAsync_OnAValidResource_Passes() =>
        await SharedValidator.Get.EnsureValidAsync(Example("Task-example.json"), CancellationToken.None);

    [Fact]
    public async System.Threading.Tasks.Task EnsureValidAsync_WhileEveryGateSlotIsTaken_WaitsAndValidatesNothing()
    {
        var validator = new ProfileValidator(ConformanceResolver.Create(ProfilePackage.Locate(AppContext.BaseDirectory)), concurrency: 1);
        using var release = new ManualResetEventSlim();
        var holder = System.Threading.Tasks.Task.Run(() => validator.Gate.RunAsync(() => release.Wait(TimeSpan.FromMinutes(1)), CancellationToken.None));
        while (validator.Gate.Running == 0)
        {
            await System.Threading.Tasks.Task.Delay(10);
        }
        using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Had it bypassed the gate, it would have validated the (valid) Task and returned.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => validator.EnsureValidAsync(Example("Task-example.json"), leave.Token));

        release.Set();
        await holder;
        Assert.Equal(0, validator.Gate.Running);
    }
}
