using System.CommandLine;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx partner endpoints add|remove|list</c>: the https origins a partner's Subscriptions may
/// notify. Anything else is refused when the Subscription is created (422) and, if removed later,
/// suppressed when it would be delivered.
/// </summary>
public static class PartnerEndpointCommands
{
    public static Command Create(TextWriter output, CliDatabase database, Option<string> id)
    {
        var url = new Option<string>("--url") { Description = "The endpoint URL or origin (https://host[:port]); its origin is registered", Required = true };
        var allowLocal = new Option<bool>("--allow-local") { Description = "Development and tests only: allow a loopback or localhost endpoint" };

        var add = new Command("add", "Register a notification endpoint's origin") { database, id, url, allowLocal };
        add.SetAction((parse, ct) => PartnerCommands.WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            var origin = await registry.AddNotificationEndpointAsync(parse.GetValue(id)!, parse.GetValue(url)!, parse.GetValue(allowLocal), ct);
            await output.WriteLineAsync($"{parse.GetValue(id)} may notify {origin}");
        }));

        var remove = new Command("remove", "Remove a notification endpoint's origin (its deliveries stop)") { database, id, url };
        remove.SetAction((parse, ct) => PartnerCommands.WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            var origin = await registry.RemoveNotificationEndpointAsync(parse.GetValue(id)!, parse.GetValue(url)!, ct);
            await output.WriteLineAsync($"{parse.GetValue(id)} may no longer notify {origin}");
        }));

        var list = new Command("list", "List a partner's notification origins") { database, id };
        list.SetAction((parse, ct) => PartnerCommands.WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            var partner = (await registry.ListAsync(ct)).Select(p => p.Partner).FirstOrDefault(p => p.Id == parse.GetValue(id))
                ?? throw new ArgumentException($"no partner {parse.GetValue(id)}");
            foreach (var origin in partner.NotificationOrigins)
            {
                await output.WriteLineAsync(origin);
            }
        }));

        return new Command("endpoints", "Notification endpoints a partner's Subscriptions may use") { add, remove, list };
    }
}
