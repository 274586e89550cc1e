namespace ReferralExchange.Core.Errors;

/// <summary>
/// One OperationOutcome.issue: what is wrong and where (FHIR R4 OperationOutcome.issue.expression
/// holds a FHIRPath-like location such as <c>ServiceRequest.category[0]</c> or <c>person.birthDate</c>).
/// </summary>
/// <param name="Code">An IssueType code (invalid, structure, required, value, invariant, not-found, conflict, processing, security, too-long, not-supported).</param>
public sealed record Issue(string Code, string Message, string? Expression = null, IssueSeverityLevel Severity = IssueSeverityLevel.Error);

public enum IssueSeverityLevel { Fatal, Error, Warning, Information }
