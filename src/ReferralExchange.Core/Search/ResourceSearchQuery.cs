using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>A search on ServiceRequest, Patient, Consent or Procedure: the common parameters and the includes offered.</summary>
public sealed record ResourceSearchQuery(string ResourceType)
{
    public CommonParameters Common { get; init; } = new();
    /// <summary><c>ServiceRequest?_revinclude=Procedure:based-on</c>.</summary>
    public bool RevIncludeProcedures { get; init; }
    public SearchCursor? After { get; init; }
    public long SnapshotTicks { get; init; } = long.MaxValue;
}

/// <summary>One resource of a referral the caller takes part in, and that referral's participants.</summary>
public sealed record ResourceCandidate(string Id, string ReferralKey, long LastUpdatedTicks, ReferralAccess Access);

public sealed record ResourcePage(IReadOnlyList<ResourceCandidate> Items, bool HasMore, int? Total, SearchPosition? Last = null);
