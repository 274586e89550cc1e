using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Infrastructure.Notifications;
using ReferralExchange.Infrastructure.Partners;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx notifications list [--dead]</c> shows the outbox's backlog (pending: attempts, next attempt,
/// lease holder) or its dead letters; <c>rx notifications redrive &lt;id&gt;|--all-dead</c> puts dead
/// letters back in the queue with a fresh retry window (ADR 0014), audited as the operator tool. Run
/// against a stopped or a running gateway's database: a running gateway sends them on its next poll.
/// Exit 0 on success, 1 without a database, 2 when there was nothing to re-drive or the usage is wrong.
/// </summary>
public static class NotificationCommands
{
    private const int ListLimit = 1000;

    public static Command Create(TextWriter output)
    {
        var database = new CliDatabase();

        var dead = new Option<bool>("--dead") { Description = "Dead letters instead of the pending backlog" };
        var list = new Command("list", "List pending notifications (or dead letters with --dead), oldest first") { database, dead };
        list.SetAction(async (parse, ct) => await WithStoreAsync(database.Resolve(parse), output, async store =>
        {
            var rows = await store.ListAsync(parse.GetValue(dead) ? NotificationStatus.Dead : NotificationStatus.Pending, ListLimit, ct);
            foreach (var n in rows)
            {
                var next = n.NextAttempt is { } at ? $" next {at:yyyy-MM-dd HH:mm:ss}Z" : string.Empty;
                var lease = n.LeaseOwner is null ? string.Empty : $" leased-by {n.LeaseOwner}";
                await output.WriteLineAsync($"{n.DeliveryId} {n.Status,-8} {n.PartnerId,-16} Task/{n.TaskId} subscription {n.SubscriptionId} attempts {n.Attempts}{next}{lease} {n.LastError}".TrimEnd());
            }
            await output.WriteLineAsync($"{rows.Count} notification(s)");
            return 0;
        }));

        var id = new Argument<string?>("id") { Description = "The delivery id of one dead letter", Arity = ArgumentArity.ZeroOrOne };
        var allDead = new Option<bool>("--all-dead") { Description = "Re-drive every dead letter" };
        var redrive = new Command("redrive", "Send dead letters again, with a fresh retry window, in their original order") { database, id, allDead };
        redrive.SetAction(async (parse, ct) =>
        {
            var deliveryId = parse.GetValue(id);
            if ((deliveryId is null) == !parse.GetValue(allDead))
            {
                await output.WriteLineAsync("refused: name one delivery id or --all-dead");
                return 2;
            }
            return await WithStoreAsync(database.Resolve(parse), output, async store =>
            {
                var actor = new AuditRecord
                {
                    Action = AuditActions.Update,
                    Outcome = AuditOutcome.Success,
                    Recorded = TimeProvider.System.GetUtcNow(),
                    PartnerId = PartnerRegistry.OperatorTool,
                    RequestId = Guid.NewGuid().ToString(),
                };
                var redriven = await new NotificationRedriveService(store, new NotificationClock(TimeProvider.System)).RedriveAsync(actor, deliveryId, ct);
                foreach (var n in redriven)
                {
                    await output.WriteLineAsync($"re-driven {n.DeliveryId} Task/{n.TaskId}");
                }
                await output.WriteLineAsync(redriven.Count == 0 ? $"refused: no dead letter {deliveryId}".TrimEnd() : $"{redriven.Count} dead letter(s) re-driven");
                return redriven.Count == 0 ? 2 : 0;
            });
        });

        return new Command("notifications", "The notification outbox: backlog, dead letters, re-drive") { list, redrive };
    }

    private static async Task<int> WithStoreAsync(CliDatabaseChoice database, TextWriter output, Func<EfNotificationStore, Task<int>> action)
    {
        if (database.Problem is { } problem)
        {
            await output.WriteLineAsync(problem);
            return 1;
        }
        await using var db = database.Open();
        return await action(new EfNotificationStore(db, WriteGate.None()));
    }
}
