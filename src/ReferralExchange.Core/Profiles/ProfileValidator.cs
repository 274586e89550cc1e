using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.FhirPath;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Profiles;

/// <summary>
/// Checks an instance against our profile for its type: cardinality, fixed and pattern values,
/// required bindings to our ValueSets, and FHIRPath invariants (FHIR R4 §2.27, ElementDefinition).
/// Issues name the element path; they never quote the instance's values.
/// </summary>
public sealed class ProfileValidator(ProfilePackage package)
{
    private static readonly FhirJsonSerializer Serializer = new();

    /// <summary>Every issue, or the first <see cref="IssueLimit.Max"/> or so when there are more (checking stops there).</summary>
    public IReadOnlyList<Issue> Validate(Resource resource)
    {
        var profile = package.ProfileFor(resource.TypeName);
        if (profile is null)
        {
            return [];
        }

        var issues = new List<Issue>();
        var root = resource.ToPocoNode();
        var context = new EvaluationContext();

        foreach (var invariant in profile.RootInvariants)
        {
            CheckInvariant(invariant, root, context, resource.TypeName, issues);
        }

        foreach (var rule in profile.Elements)
        {
            var parents = rule.Parent is null ? [root] : rule.Parent(root, context).ToList();
            foreach (var parent in parents)
            {
                // Enough to answer with: a body of 20,000 bad elements stops here, not after all of them (IssueLimit).
                if (issues.Count >= IssueLimit.Max)
                {
                    return issues;
                }
                var children = rule.Child(parent, context).ToList();
                var location = $"{PathOf(parent)}.{ChildNameOf(rule)}";
                CheckCardinality(rule, children.Count, location, issues);
                foreach (var child in children)
                {
                    if (issues.Count >= IssueLimit.Max)
                    {
                        return issues;
                    }
                    CheckValue(rule, child, issues);
                    foreach (var invariant in rule.Invariants)
                    {
                        CheckInvariant(invariant, child, context, PathOf(child), issues);
                    }
                }
            }
        }
        return issues;
    }

    /// <summary>Throws an Unprocessable <see cref="GatewayException"/> with every issue found.</summary>
    public void EnsureValid(Resource resource, string? locationPrefix = null)
    {
        var issues = Validate(resource);
        if (issues.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable,
                IssueLimit.Cap(Prefix(issues, locationPrefix), i => i, stoppedEarly: issues.Count >= IssueLimit.Max));
        }
    }

    private static IReadOnlyList<Issue> Prefix(IReadOnlyList<Issue> issues, string? prefix) =>
        prefix is null ? issues : issues.Select(i => i with { Expression = $"{prefix}{i.Expression}" }).ToList();

    private static void CheckCardinality(ElementRule rule, int count, string location, List<Issue> issues)
    {
        if (rule.Min is { } min && count < min)
        {
            issues.Add(new Issue("required", $"{rule.ElementPath}: at least {min} required, found {count}", location));
        }
        if (rule.Max is { } max && count > max)
        {
            issues.Add(new Issue("structure", $"{rule.ElementPath}: at most {max} allowed, found {count}", location));
        }
    }

    private void CheckValue(ElementRule rule, PocoNode child, List<Issue> issues)
    {
        var location = PathOf(child);
        if (rule.FixedPrimitive is not null && (child.Poco as PrimitiveType)?.ToString() != rule.FixedPrimitive)
        {
            issues.Add(new Issue("value", $"{rule.ElementPath} must be '{rule.FixedPrimitive}'", location));
        }
        if (rule.PatternPrimitive is not null && (child.Poco as PrimitiveType)?.ToString() != rule.PatternPrimitive)
        {
            issues.Add(new Issue("value", $"{rule.ElementPath} must be '{rule.PatternPrimitive}'", location));
        }
        if (rule.Fixed is not null && !JsonPattern.IsExactly(ToJson(child.Poco), rule.Fixed))
        {
            issues.Add(new Issue("value", $"{rule.ElementPath} does not have the fixed value {rule.Fixed.ToJsonString()}", location));
        }
        if (rule.Pattern is not null && !JsonPattern.Matches(ToJson(child.Poco), rule.Pattern))
        {
            issues.Add(new Issue("value", $"{rule.ElementPath} must match the pattern {rule.Pattern.ToJsonString()}", location));
        }
        if (rule.RequiredValueSet is { } vs && package.ValueSets.CanCheck(vs) && !InValueSet(child.Poco, vs))
        {
            issues.Add(new Issue("code-invalid", $"{rule.ElementPath}: code is not in the required value set {vs}", location));
        }
    }

    private bool InValueSet(Base? value, string vs) => value switch
    {
        CodeableConcept cc => cc.Coding.Any(c => package.ValueSets.Contains(vs, c.System, c.Code)),
        Coding c => package.ValueSets.Contains(vs, c.System, c.Code),
        PrimitiveType p => package.ValueSets.Contains(vs, null, p.ToString()),
        _ => false,
    };

    private static void CheckInvariant(CompiledInvariant invariant, PocoNode focus, EvaluationContext context, string location, List<Issue> issues)
    {
        bool holds;
        try
        {
            holds = invariant.Expression.Predicate(focus, context);
        }
        catch (InvalidOperationException)
        {
            // A FHIRPath runtime error (e.g. a singleton expected) means the instance is not
            // shaped as the invariant needs: that is a failure of the invariant, not a crash.
            holds = false;
        }
        if (!holds)
        {
            issues.Add(new Issue("invariant", $"{invariant.Key}: {invariant.Human}", location));
        }
    }

    private static JsonNode? ToJson(Base? value) =>
        value is null ? null : JsonNode.Parse(Serializer.SerializeToString(value));

    private static string ChildNameOf(ElementRule rule)
    {
        var path = rule.ElementPath.Replace("[x]", string.Empty);
        return path[(path.LastIndexOf('.') + 1)..];
    }

    /// <summary>FHIRPath-style location of a node, e.g. <c>Consent.provision.actor[0].role</c>.</summary>
    public static string PathOf(PocoNode node)
    {
        var parts = new Stack<string>();
        for (var n = node; n is not null; n = n.Parent)
        {
            parts.Push(n.Index is { } i && n.Parent is not null ? $"{n.Name}[{i}]" : n.Name);
        }
        return string.Join('.', parts);
    }
}
