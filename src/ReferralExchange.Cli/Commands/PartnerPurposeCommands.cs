using System.CommandLine;
using ReferralExchange.Core.Authorization;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx partner purposes set|reset|list</c>: the purposes of use a partner may assert at the token
/// endpoint, within its kind's (purpose-of-use.json). Takes effect on its next token; tokens already
/// issued keep their purposes until they expire.
/// </summary>
public static class PartnerPurposeCommands
{
    public static Command Create(TextWriter output, CliDatabase database, Option<string> id)
    {
        var purposes = new Option<string[]>("--purposes") { Description = "v3-ActReason codes, e.g. TREAT HPAYMT", Required = true, AllowMultipleArgumentsPerToken = true };

        var set = new Command("set", "Register the purposes the partner may assert (within its kind's)") { database, id, purposes };
        set.SetAction((parse, ct) => PartnerCommands.WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            var codes = parse.GetValue(purposes)!.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (codes.Count == 0) throw new ArgumentException("name at least one purpose (or use reset)");
            var registered = await registry.SetPurposesAsync(parse.GetValue(id)!, codes, ct);
            await output.WriteLineAsync($"{parse.GetValue(id)} may assert {string.Join(" ", registered)}");
        }));

        var reset = new Command("reset", "The partner may assert all of its kind's purposes again") { database, id };
        reset.SetAction((parse, ct) => PartnerCommands.WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            await registry.SetPurposesAsync(parse.GetValue(id)!, [], ct);
            await output.WriteLineAsync($"{parse.GetValue(id)} may assert its kind's purposes");
        }));

        var list = new Command("list", "The purposes the partner may assert, and its default") { database, id };
        list.SetAction((parse, ct) => PartnerCommands.WithRegistryAsync(database.Resolve(parse), output, async registry =>
        {
            var row = (await registry.ListAsync(ct)).Select(p => p.Partner).FirstOrDefault(p => p.Id == parse.GetValue(id))
                ?? throw new ArgumentException($"no partner {parse.GetValue(id)}");
            PartnerKindCodes.TryParse(row.Kind, out var kind);
            var partner = new Partner(row.Id, row.Name, kind, PartnerStatus.Active) { Purposes = row.Purposes };
            var rules = PurposeOfUseRules.Default;
            await output.WriteLineAsync($"{string.Join(" ", rules.AllowedFor(partner))} (default {rules.DefaultFor(partner)}{(row.Purposes.Count == 0 ? ", its kind's" : ", registered")})");
        }));

        return new Command("purposes", "Purposes of use a partner may assert in its tokens") { set, reset, list };
    }
}
