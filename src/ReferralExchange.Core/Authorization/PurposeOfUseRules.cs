using System.Text.Json;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Core.Authorization;

/// <summary>
/// Which purposes of use (HL7 v3 PurposeOfUse codes from v3-ActReason) a partner may assert, from
/// the embedded <c>purpose-of-use.json</c>: its kind's list, or the narrower list it is registered
/// with. The token endpoint grants only these; the consent decision uses the token's purpose.
/// </summary>
public sealed class PurposeOfUseRules
{
    private readonly Dictionary<string, KindPurposes> _byKind;

    private PurposeOfUseRules(string system, string oid, IReadOnlyList<string> vocabulary, Dictionary<string, KindPurposes> byKind)
    {
        System = system;
        Oid = oid;
        Vocabulary = vocabulary;
        _byKind = byKind;
    }

    public static PurposeOfUseRules Default { get; } = Load();

    /// <summary>The code system's canonical URL (FHIR).</summary>
    public string System { get; }

    /// <summary>The code system's OID as a URI, as the UDAP IG §5.3.3 prefers for <c>purpose_of_use</c> values.</summary>
    public string Oid { get; }

    /// <summary>Every purpose the gateway knows: a consent may name them, a token may carry them.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>
    /// The bare code of a purpose written as a bare code (<c>TREAT</c>) or in the UDAP IG §5.3.3
    /// preferred form, system URI + '#' + code (<c>urn:oid:2.16.840.1.113883.5.8#TREAT</c>, or the
    /// FHIR canonical URL); null when it is not one of <see cref="Vocabulary"/>.
    /// </summary>
    public string? Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var hash = value.LastIndexOf('#');
        if (hash >= 0 && value[..hash] != Oid && value[..hash] != System)
        {
            return null;
        }
        var code = hash >= 0 ? value[(hash + 1)..] : value;
        return Vocabulary.Contains(code, StringComparer.Ordinal) ? code : null;
    }

    /// <summary>What a partner of this kind may be registered for.</summary>
    public IReadOnlyList<string> AllowedForKind(PartnerKind kind) => _byKind.GetValueOrDefault(kind.ToCode())?.Allowed ?? [];

    /// <summary>What this partner may assert: the purposes it is registered with (within its kind's), else its kind's.</summary>
    public IReadOnlyList<string> AllowedFor(Partner partner)
    {
        var kind = AllowedForKind(partner.Kind);
        return partner.Purposes.Count == 0 ? kind : kind.Where(partner.Purposes.Contains).ToList();
    }

    /// <summary>The purpose a token gets when the partner names none: its kind's default, if the partner may assert it.</summary>
    public string? DefaultFor(Partner partner)
    {
        var allowed = AllowedFor(partner);
        var kindDefault = _byKind.GetValueOrDefault(partner.Kind.ToCode())?.Default;
        return kindDefault is not null && allowed.Contains(kindDefault) ? kindDefault : allowed.FirstOrDefault();
    }

    /// <summary>
    /// The purposes to put in the partner's token, in the order asked (bare codes): the partner's
    /// default when it names none; null (refuse: <c>invalid_scope</c>) when one is unknown or one it may not assert.
    /// </summary>
    public IReadOnlyList<string>? Grant(Partner partner, IReadOnlyList<string> requested)
    {
        if (requested.Count == 0)
        {
            return DefaultFor(partner) is { } fallback ? [fallback] : null;
        }
        var allowed = AllowedFor(partner);
        var codes = requested.Select(Normalize).ToList();
        return codes.All(c => c is not null && allowed.Contains(c)) ? codes.Select(c => c!).Distinct().ToList() : null;
    }

    private static PurposeOfUseRules Load()
    {
        using var stream = typeof(PurposeOfUseRules).Assembly.GetManifestResourceStream("ReferralExchange.Core.Authorization.purpose-of-use.json")
            ?? throw new InvalidOperationException("purpose-of-use.json is not embedded");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var vocabulary = root.GetProperty("vocabulary").EnumerateArray().Select(v => v.GetString()!).ToList();
        var byKind = root.GetProperty("kinds").EnumerateObject().ToDictionary(p => p.Name, p => new KindPurposes(
            p.Value.GetProperty("default").GetString()!,
            p.Value.GetProperty("allowed").EnumerateArray().Select(v => v.GetString()!).ToList()));
        foreach (var (kind, purposes) in byKind)
        {
            // A rules file naming a purpose outside the vocabulary is a mistake to stop at start-up.
            if (!purposes.Allowed.Contains(purposes.Default) || purposes.Allowed.Any(p => !vocabulary.Contains(p)))
            {
                throw new InvalidOperationException($"purpose-of-use.json: kind {kind} names purposes outside the vocabulary or a default it does not allow");
            }
        }
        return new PurposeOfUseRules(root.GetProperty("system").GetString()!, root.GetProperty("oid").GetString()!, vocabulary, byKind);
    }

    private sealed record KindPurposes(string Default, IReadOnlyList<string> Allowed);
}
