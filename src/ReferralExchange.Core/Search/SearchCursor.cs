namespace ReferralExchange.Core.Search;

/// <summary>
/// A position in a keyset walk: the last entry's sort value, lastUpdated and id (the order's tie
/// breakers), the sort itself, and the walk's snapshot instant, which every page of the walk keeps.
/// </summary>
public sealed record SearchCursor(SearchSort Sort, long Value, long LastUpdatedTicks, string Id, long SnapshotTicks);

/// <summary>Where the last row of a page stood in the order: the next page's cursor is made from it.</summary>
public sealed record SearchPosition(long Value, long LastUpdatedTicks, string Id);
