namespace ReferralExchange.Core.Privacy;

/// <summary>
/// The current version of every Consent of the given referrals, read on every call: a revocation
/// takes effect on the very next request. Implementations may cache parsed versions (they never change).
/// </summary>
public interface IConsentRepository
{
    Task<IReadOnlyDictionary<string, IReadOnlyList<ConsentPolicy>>> PoliciesAsync(IReadOnlyCollection<string> referralKeys, CancellationToken cancellationToken = default);
}
