using Hl7.Fhir.Model;

namespace ReferralExchange.Core.Referrals;

/// <param name="Created">False when this was a repeat of an earlier submission: nothing new was stored.</param>
/// <param name="TaskLocation">Relative location of the referral's Task, the thing a partner tracks.</param>
public sealed record SubmissionResult(bool Created, Bundle Response, string TaskLocation);
