using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Search;

namespace ReferralExchange.Core.Tests.Search;

/// <summary>
/// The parameter lists the CapabilityStatement declares (issue 14 point 4) and the parsers agree:
/// each declared parameter is applied under strict handling, and one that is not declared is refused.
/// </summary>
public sealed class DeclaredSearchParameterTests
{
    private static string Sample(string name) => name switch
    {
        "owner" or "requester" => "Organization/bh",
        "status" => "requested",
        "patient" => "Patient/p1",
        "focus" => "ServiceRequest/s1",
        "_id" => "a,b",
        "_lastUpdated" => "gt2026-01-01",
        "_sort" => "-_lastUpdated",
        "_count" => "5",
        "_total" => "accurate",
        "_summary" => "true",
        "_elements" => "id,status",
        _ => throw new InvalidOperationException($"no sample for {name}: add one when declaring it"),
    };

    private static KeyValuePair<string, string>[] One(string name, string value) => [new(name, value)];

    [Fact]
    public void TaskParser_StrictHandling_AppliesEveryDeclaredParameterAndInclude()
    {
        foreach (var parameter in TaskSearchParameters.All)
        {
            var query = TaskSearchParser.Parse(One(parameter.Name, Sample(parameter.Name)), strict: true);
            Assert.Contains(query.Common.Applied, a => a.Key == parameter.Name);
        }
        foreach (var include in TaskSearchParameters.Includes)
        {
            Assert.Contains(TaskSearchParser.Parse(One("_include", include), strict: true).Common.Applied, a => a.Value == include);
        }
        foreach (var revInclude in TaskSearchParameters.RevIncludes)
        {
            Assert.True(TaskSearchParser.Parse(One("_revinclude", revInclude), strict: true).RevIncludeProcedures);
        }
    }

    [Theory]
    [InlineData("ServiceRequest")]
    [InlineData("Patient")]
    [InlineData("Consent")]
    [InlineData("Procedure")]
    public void ResourceParser_StrictHandling_AppliesEveryDeclaredParameter(string type)
    {
        Assert.Contains(type, ResourceSearchParser.SearchableTypes);
        foreach (var parameter in ResourceSearchParameters.All)
        {
            var query = ResourceSearchParser.Parse(type, One(parameter.Name, Sample(parameter.Name)), strict: true);
            Assert.Contains(query.Common.Applied, a => a.Key == parameter.Name);
        }
        foreach (var revInclude in ResourceSearchParameters.RevIncludesOf(type))
        {
            Assert.True(ResourceSearchParser.Parse(type, One("_revinclude", revInclude), strict: true).RevIncludeProcedures);
        }
    }

    [Fact]
    public void Parsers_StrictHandling_RefuseWhatIsNotDeclared()
    {
        Assert.Throws<GatewayException>(() => TaskSearchParser.Parse(One("code", "x"), strict: true));
        Assert.Throws<GatewayException>(() => TaskSearchParser.Parse(One("_include", "Task:owner"), strict: true));
        Assert.Throws<GatewayException>(() => ResourceSearchParser.Parse("Patient", One("_revinclude", "Procedure:based-on"), strict: true));
        Assert.Throws<GatewayException>(() => ResourceSearchParser.Parse("Consent", One("_sort", "priority"), strict: true));
    }
}
