using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// Takes notification leases on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c> (PostgreSQL 15 §SELECT,
/// "The Locking Clause"; issue 15 §3): a row another replica is claiming or marking right now is
/// passed over instead of waited for, so one replica's open transaction never holds up another's
/// whole claim round (without it, the UPDATE waits on that row up to the session's lock_timeout and
/// then fails the round). The lease test is evaluated on the newest committed row version of every
/// row the subquery locks, so a row another replica leased and committed meanwhile is not taken
/// either. What is skipped leaves a gap, and <see cref="Notifications.EfNotificationStore"/> keeps only
/// the unbroken run of each subscription's rows it won, so delivery order holds (ADR 0014).
/// </summary>
public static class PostgreSqlNotificationLeases
{
    private const string Claim = """
        UPDATE "Notifications" SET "LeaseOwner" = @owner, "LeaseExpiresTicks" = @until
        WHERE "DeliveryId" IN (
            SELECT "DeliveryId" FROM "Notifications"
            WHERE "DeliveryId" = ANY(@ids) AND "Status" = @pending AND ("LeaseOwner" IS NULL OR "LeaseExpiresTicks" <= @now)
            FOR UPDATE SKIP LOCKED)
        """;

    /// <summary>Leases those of <paramref name="deliveryIds"/> that are pending, free (or expired) and not locked by anyone; returns how many.</summary>
    public static Task<int> TakeAsync(GatewayDbContext db, IReadOnlyCollection<string> deliveryIds, string owner, long nowTicks, long untilTicks, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(Claim,
        [
            new NpgsqlParameter("owner", NpgsqlDbType.Varchar) { Value = owner },
            new NpgsqlParameter("until", NpgsqlDbType.Bigint) { Value = untilTicks },
            new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = deliveryIds.ToArray() },
            new NpgsqlParameter("pending", NpgsqlDbType.Varchar) { Value = NotificationStatus.Pending },
            new NpgsqlParameter("now", NpgsqlDbType.Bigint) { Value = nowTicks },
        ], ct);
}
