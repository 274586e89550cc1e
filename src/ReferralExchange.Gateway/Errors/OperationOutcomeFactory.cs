using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Gateway.Errors;

/// <summary>Builds FHIR OperationOutcomes from domain issues.</summary>
public static class OperationOutcomeFactory
{
    public static OperationOutcome From(IEnumerable<Issue> issues, string requestId)
    {
        var outcome = new OperationOutcome { Id = null };
        foreach (var issue in issues)
        {
            var component = new OperationOutcome.IssueComponent
            {
                Severity = issue.Severity switch
                {
                    IssueSeverityLevel.Fatal => OperationOutcome.IssueSeverity.Fatal,
                    IssueSeverityLevel.Warning => OperationOutcome.IssueSeverity.Warning,
                    IssueSeverityLevel.Information => OperationOutcome.IssueSeverity.Information,
                    _ => OperationOutcome.IssueSeverity.Error,
                },
                Code = IssueTypeOf(issue.Code),
                Diagnostics = issue.Message,
                Details = new CodeableConcept { Text = issue.Message },
            };
            if (issue.Expression is not null)
            {
                component.Expression = [issue.Expression];
            }
            outcome.Issue.Add(component);
        }
        // The request id lets an operator find the log lines for this answer; it carries no PHI.
        outcome.Extension.Add(new Extension("https://referral-exchange.example/fhir/StructureDefinition/request-id", new FhirString(requestId)));
        return outcome;
    }

    public static OperationOutcome Single(string code, string message, string requestId, string? expression = null) =>
        From([new Issue(code, message, expression)], requestId);

    private static OperationOutcome.IssueType IssueTypeOf(string code) =>
        Hl7.Fhir.Utility.EnumUtility.ParseLiteral<OperationOutcome.IssueType>(code) ?? OperationOutcome.IssueType.Processing;
}
