using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>
/// Every example in profiles/ satisfies its profile under Firely's validator, and a broken copy of
/// each does not: for each required element, fixed or pattern value, required binding to one of
/// our ValueSets and invariant of the profile's differential, a copy that breaks it is refused,
/// naming the element.
/// </summary>
public sealed class ProfileExampleTests
{
    private static readonly ProfilePackage Package = ProfilePackage.Load(ProfilePackage.Locate(AppContext.BaseDirectory));
    private static ProfileValidator Validator => SharedValidator.Get;

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Package.ExampleFiles) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void Package_HoldsTheFiveProfilesAndExamplesOfEach()
    {
        var types = Package.StructureDefinitions.Select(sd => sd.Type!).ToHashSet();
        Assert.Superset(new HashSet<string> { "Patient", "ServiceRequest", "Consent", "Task", "Procedure" }, types);
        foreach (var type in types)
        {
            Assert.Contains(Package.ExampleFiles, f => Path.GetFileName(f).StartsWith(type + "-"));
        }
        Assert.NotNull(Package.CapabilityStatement);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_AsPublished_IsValid(string file)
    {
        var resource = FhirJson.Parse(Read(file));

        var issues = Validator.Validate(resource);

        Assert.True(issues.Count == 0, string.Join("; ", issues.Select(i => $"{i.Expression}: {i.Message}")));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_WithEachRequiredTopLevelElementRemoved_IsInvalid(string file)
    {
        var json = JsonNode.Parse(Read(file))!.AsObject();
        var required = TopLevelElements(json).Where(e => e.Min > 0).ToList();
        Assert.NotEmpty(required);

        foreach (var element in required)
        {
            var name = element.Path!.Split('.')[1].Replace("[x]", string.Empty);
            var broken = json.DeepClone().AsObject();
            foreach (var key in broken.Select(p => p.Key).Where(k => k == name || (element.Path!.EndsWith("[x]") && k.StartsWith(name))).ToList())
            {
                broken.Remove(key);
            }

            var issues = Validate(broken);

            Assert.True(issues.Count > 0, $"{file} without {name} should be invalid");
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_WithEachPatternOrFixedValueChanged_IsInvalid(string file)
    {
        var json = JsonNode.Parse(Read(file))!.AsObject();
        foreach (var element in TopLevelElements(json).Where(e => e.Pattern is not null || e.Fixed is not null))
        {
            var name = element.Path!.Split('.')[1];
            var broken = json.DeepClone().AsObject();
            broken[name] = Mutate(broken[name]);

            var issues = Validate(broken);

            Assert.Contains(issues, i => i.Expression?.Contains(name) == true);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_WithACodeOutsideARequiredBinding_IsInvalid(string file)
    {
        var json = JsonNode.Parse(Read(file))!.AsObject();
        foreach (var element in TopLevelElements(json).Where(e => e.Binding is { Strength: BindingStrength.Required, ValueSet: { } vs } && Package.ValueSets.CanCheck(vs)))
        {
            var name = element.Path!.Split('.')[1];
            if (json[name] is null) continue;
            var broken = json.DeepClone().AsObject();
            ReplaceCodes(broken[name]!);

            var issues = Validate(broken);

            Assert.Contains(issues, i => i.Code == "code-invalid" && i.Expression!.Contains(name));
        }
    }

    [Fact]
    public void TaskExample_RejectedWithoutReason_BreaksInvariant()
    {
        var task = JsonNode.Parse(Read("Task-example.json"))!.AsObject();
        task["status"] = "rejected";
        task.Remove("statusReason");

        Assert.Contains(Validate(task), i => i.Code == "invariant" && i.Message.Contains("rx-task-1"));
    }

    [Fact]
    public void TaskExample_CompletedWithoutOutput_BreaksInvariant()
    {
        var task = JsonNode.Parse(Read("Task-example.json"))!.AsObject();
        task["status"] = "completed";
        task.Remove("output");

        Assert.Contains(Validate(task), i => i.Code == "invariant" && i.Message.Contains("rx-task-2"));
    }

    [Fact]
    public void ProcedureExample_CompletedWithoutPerformed_BreaksInvariant()
    {
        var procedure = JsonNode.Parse(Read("Procedure-example.json"))!.AsObject();
        foreach (var key in procedure.Select(p => p.Key).Where(k => k.StartsWith("performed")).ToList()) procedure.Remove(key);

        Assert.Contains(Validate(procedure), i => i.Code == "invariant" && i.Message.Contains("rx-proc-1"));
    }

    [Fact]
    public void ConsentExample_WithoutExpiry_IsInvalidAtProvisionPeriodEnd()
    {
        var consent = JsonNode.Parse(Read("Consent-example.json"))!.AsObject();
        consent["provision"]!["period"]!.AsObject().Remove("end");

        Assert.Contains(Validate(consent), i => i.Expression == "Consent.provision.period" && i.Message.Contains("end"));
    }

    [Fact]
    public void ConsentExample_ActorWithoutIrcpRole_IsInvalid()
    {
        var consent = JsonNode.Parse(Read("Consent-example.json"))!.AsObject();
        consent["provision"]!["actor"]![0]!["role"] = JsonNode.Parse("""{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"AUT"}]}""");

        Assert.Contains(Validate(consent), i => i.Expression == "Consent.provision.actor[0].role");
    }

    /// <summary>The differential's elements directly under the root (e.g. <c>Task.code</c>).</summary>
    private static IEnumerable<ElementDefinition> TopLevelElements(JsonObject json)
    {
        var type = json["resourceType"]!.GetValue<string>();
        return Package.StructureDefinitions.Single(sd => sd.Type == type).Differential!.Element
            .Where(e => e.Path?.Count(c => c == '.') == 1);
    }

    /// <summary>Base FHIR rules (checked while parsing) and our profile's rules both count as invalid.</summary>
    private static IReadOnlyList<Core.Errors.Issue> Validate(JsonObject json)
    {
        try
        {
            return Validator.Validate(FhirJson.Parse(json.ToJsonString()));
        }
        catch (Core.Errors.GatewayException parseFailure)
        {
            return parseFailure.Issues;
        }
    }

    private static JsonNode? Mutate(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(s == "plan" ? "proposal" : "plan"),
        JsonArray a => new JsonArray(a.Select(i => Mutate(i?.DeepClone())).ToArray()),
        JsonObject o => MutateObject(o.DeepClone().AsObject()),
        _ => node,
    };

    private static JsonObject MutateObject(JsonObject o)
    {
        ReplaceCodes(o);
        return o;
    }

    private static void ReplaceCodes(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (key == "code" && o[key] is JsonValue) o[key] = "not-a-real-code";
                    else if (o[key] is { } child) ReplaceCodes(child);
                }
                break;
            case JsonArray a:
                foreach (var item in a) if (item is not null) ReplaceCodes(item);
                break;
        }
    }

    private static string Read(string file) =>
        File.ReadAllText(Package.ExampleFiles.Single(f => Path.GetFileName(f) == file));
}
