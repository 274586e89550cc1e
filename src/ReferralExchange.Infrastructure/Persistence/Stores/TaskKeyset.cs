using ReferralExchange.Core.Search;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>
/// The orders a Task search can follow and the keyset predicate that continues each after a cursor:
/// (sort value, lastUpdated, Task id), all ascending or all descending, so the order is total and
/// the composite indexes on TaskIndex serve it. Written out per key: EF translates plain lambdas.
/// </summary>
internal static class TaskKeyset
{
    public static IQueryable<TaskIndexRow> Order(IQueryable<TaskIndexRow> tasks, SearchSort sort) => (sort.Key, sort.Descending) switch
    {
        (SortKey.AuthoredOn, false) => tasks.OrderBy(t => t.AuthoredOnTicks).ThenBy(t => t.LastUpdatedTicks).ThenBy(t => t.TaskId),
        (SortKey.AuthoredOn, true) => tasks.OrderByDescending(t => t.AuthoredOnTicks).ThenByDescending(t => t.LastUpdatedTicks).ThenByDescending(t => t.TaskId),
        (SortKey.Priority, false) => tasks.OrderBy(t => t.PriorityRank).ThenBy(t => t.LastUpdatedTicks).ThenBy(t => t.TaskId),
        (SortKey.Priority, true) => tasks.OrderByDescending(t => t.PriorityRank).ThenByDescending(t => t.LastUpdatedTicks).ThenByDescending(t => t.TaskId),
        (_, false) => tasks.OrderBy(t => t.LastUpdatedTicks).ThenBy(t => t.TaskId),
        (_, true) => tasks.OrderByDescending(t => t.LastUpdatedTicks).ThenByDescending(t => t.TaskId),
    };

    public static IQueryable<TaskIndexRow> After(IQueryable<TaskIndexRow> tasks, SearchSort sort, SearchCursor after)
    {
        var value = after.Value;
        var rank = (int)Math.Clamp(after.Value, int.MinValue, int.MaxValue);
        var lu = after.LastUpdatedTicks;
        var id = after.Id;
        // The leading >= / <= lets the database seek the index; the rest breaks the tie.
        return (sort.Key, sort.Descending) switch
        {
            (SortKey.AuthoredOn, false) => tasks.Where(t => t.AuthoredOnTicks >= value
                && (t.AuthoredOnTicks > value || t.LastUpdatedTicks > lu || (t.LastUpdatedTicks == lu && string.Compare(t.TaskId, id) > 0))),
            (SortKey.AuthoredOn, true) => tasks.Where(t => t.AuthoredOnTicks <= value
                && (t.AuthoredOnTicks < value || t.LastUpdatedTicks < lu || (t.LastUpdatedTicks == lu && string.Compare(t.TaskId, id) < 0))),
            (SortKey.Priority, false) => tasks.Where(t => t.PriorityRank >= rank
                && (t.PriorityRank > rank || t.LastUpdatedTicks > lu || (t.LastUpdatedTicks == lu && string.Compare(t.TaskId, id) > 0))),
            (SortKey.Priority, true) => tasks.Where(t => t.PriorityRank <= rank
                && (t.PriorityRank < rank || t.LastUpdatedTicks < lu || (t.LastUpdatedTicks == lu && string.Compare(t.TaskId, id) < 0))),
            (_, false) => tasks.Where(t => t.LastUpdatedTicks >= lu && (t.LastUpdatedTicks > lu || string.Compare(t.TaskId, id) > 0)),
            (_, true) => tasks.Where(t => t.LastUpdatedTicks <= lu && (t.LastUpdatedTicks < lu || string.Compare(t.TaskId, id) < 0)),
        };
    }
}
