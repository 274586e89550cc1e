using Hl7.Fhir.Model;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Routing;
using ReferralExchange.Core.Tests.Profiles;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Tests.Intake;

/// <summary>
/// The validator's warm-up must compile what real submissions need: valid resources, every routing
/// category, directed and open Tasks, labels as the labeller puts them.
/// </summary>
public sealed class WarmUpReferralsTests
{
    private static readonly IReadOnlyList<Resource> Instances = WarmUpReferrals.Instances(CategoryRouting.Default, LabelingRules.Default).ToList();

    [Fact]
    public void EveryWarmUpInstance_IsValidAgainstOurProfiles()
    {
        var invalid = Instances
            .Select(r => (r.TypeName, Issues: SharedValidator.Get.Validate(r)))
            .Where(x => x.Issues.Count > 0)
            .Select(x => $"{x.TypeName}: {string.Join("; ", x.Issues.Select(i => $"{i.Expression} {i.Message}"))}")
            .ToList();
        Assert.Empty(invalid);
    }

    [Fact]
    public void WarmUp_CoversEveryCategoryDirectedAndOpenReferralsAndLabels()
    {
        var requests = Instances.OfType<ServiceRequest>().ToList();
        var codes = requests.SelectMany(s => s.Category).SelectMany(c => c.Coding).Select(c => c.Code).ToHashSet();
        Assert.All(CategoryRouting.Default.Categories, category => Assert.Contains(category, codes));
        var tasks = Instances.OfType<FhirTask>().ToList();
        Assert.Contains(tasks, t => t.Owner is not null);
        Assert.Contains(tasks, t => t.Owner is null);
        Assert.Contains(Instances, r => r.Meta?.Security.Count > 0);
        Assert.Equal(["Consent", "Patient", "PractitionerRole", "ServiceRequest", "Task"], Instances.Select(r => r.TypeName).Distinct().Order());
    }
}
