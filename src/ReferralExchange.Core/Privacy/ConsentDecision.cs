namespace ReferralExchange.Core.Privacy;

/// <summary>The LEAP Consent Decision Service vocabulary: CONSENT_PERMIT, CONSENT_DENY, NO_CONSENT.</summary>
public enum ConsentOutcome { Permit, Deny, NoConsent }

/// <summary>
/// A decision, naming the Consent used. A permit may carry obligations: the sensitivity labels and
/// data classes the consent does not cover, whose elements must be removed (REDACT) before the
/// data leaves.
/// </summary>
public sealed record ConsentDecision(
    ConsentOutcome Outcome,
    string? ConsentReference,
    IReadOnlyCollection<string> RedactLabels,
    IReadOnlyCollection<string> RedactClasses,
    string Reason)
{
    public bool Permits => Outcome == ConsentOutcome.Permit;

    public bool HasObligations => RedactLabels.Count > 0 || RedactClasses.Count > 0;

    public static ConsentDecision NoConsent(string reason) => new(ConsentOutcome.NoConsent, null, [], [], reason);

    public static ConsentDecision Deny(string? consent, string reason) => new(ConsentOutcome.Deny, consent, [], [], reason);
}
