using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// Turns the validator's OperationOutcome into our issues: errors only, each with the element's
/// FHIRPath location (OperationOutcome.issue.expression, FHIR R4 §2.28 "location"), written as
/// the rest of the gateway writes paths (<see cref="ElementPath"/>). Messages lose any quoted
/// instance value: instances hold PHI.
/// </summary>
public static partial class ValidatorIssueMapper
{
    public static IReadOnlyList<Issue> Map(OperationOutcome outcome, string typeName) =>
        outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => new Issue(CodeOf(i), Clean(i.Details?.Text ?? i.Diagnostics ?? "invalid"), LocationOf(i, typeName)))
            .Distinct()
            .ToList();

    private static string CodeOf(OperationOutcome.IssueComponent issue) =>
        issue.Code?.GetLiteral() ?? "invalid";

    private static string LocationOf(OperationOutcome.IssueComponent issue, string typeName)
    {
        var raw = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault();
        return string.IsNullOrEmpty(raw) ? typeName : ElementPath.Normalize(raw);
    }

    // "Value '1985-13-01' does not match ..." quotes the instance; element names, codes of our
    // ValueSets and regexes of the spec may stay, but a long fragment is cut to be safe.
    private static string Clean(string text)
    {
        var clean = QuotedValue().Replace(text, "The value");
        clean = LongQuote().Replace(clean, "'…'");
        return clean.Length <= 300 ? clean : clean[..300];
    }

    [GeneratedRegex("[Vv]alue '[^']*'")]
    private static partial Regex QuotedValue();

    [GeneratedRegex("'[^']{48,}'")]
    private static partial Regex LongQuote();
}
