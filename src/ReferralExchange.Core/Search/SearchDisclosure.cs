using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Every resource a search or history page returns passes here: the access policy, then the consent
/// gate (redaction, or refusal: a refused resource is left out with no hint), then the
/// <c>_summary</c>/<c>_elements</c> subset (after consent, never instead of it). The decisions and
/// the query are recorded before anything leaves (IHE BALP Query; one record per person whose data
/// left, so each person's accounting of disclosures lists it).
/// </summary>
public sealed class SearchDisclosure(ConsentGate gate, IConsentRepository consents, IAuditTrail audit, TimeProvider time)
{
    /// <summary>The disclosures of one result page.</summary>
    public sealed class Page
    {
        internal Page(Caller who, string baseUrl, IReadOnlyDictionary<string, IReadOnlyList<ConsentPolicy>> policies)
        {
            Who = who;
            BaseUrl = baseUrl;
            Policies = policies;
        }

        internal Caller Who { get; }
        internal string BaseUrl { get; }
        internal IReadOnlyDictionary<string, IReadOnlyList<ConsentPolicy>> Policies { get; }
        internal List<AuditRecord> Decisions { get; } = [];
        internal HashSet<string> Seen { get; } = [];
        public List<Disclosed> Entries { get; } = [];
        public bool Part2 { get; internal set; }
    }

    /// <summary>A resource as it leaves: shaped (and subsetted) JSON, and whose data it is.</summary>
    public sealed record Disclosed(StoredResource Stored, string Json, string Mode, string? PatientId)
    {
        public SearchsetWriter.Entry Entry(string baseUrl) => new($"{baseUrl}/{Stored.ResourceType}/{Stored.Id}", Json, Mode);
    }

    /// <summary>Starts a page: only the consents of its referrals are read (shaping needs them, and the source's minimum necessary).</summary>
    public async Task<Page> BeginAsync(Caller who, string baseUrl, IReadOnlyCollection<string> referralKeys, CancellationToken ct) =>
        new(who, baseUrl, await consents.PoliciesAsync(referralKeys.Distinct().ToList(), ct));

    /// <summary>Adds the resource if the caller may receive it; false when it is left out. A resource already on the page is not added twice.</summary>
    public bool Add(Page page, ReferralAccess? access, StoredResource stored, string mode, ResultSubset subset)
    {
        if (!AccessPolicy.CanSee(page.Who.Partner, stored.ResourceType, access)
            || !page.Seen.Add(stored.VersionedReference))
        {
            return false;
        }
        if (access is null)
        {
            // Directory data (partner Organizations): no one's personal data, no consent to ask.
            page.Entries.Add(new Disclosed(stored, ResourceSubsetter.Apply(stored.Json, subset), mode, null));
            return true;
        }
        var disclosure = gate.Shape(page.Who, access, stored.ResourceType, stored.Json, page.Policies.GetValueOrDefault(access.ReferralKey) ?? []);
        if (disclosure.DecisionRecord is { } decision)
        {
            page.Decisions.Add(decision);
        }
        if (!disclosure.Allowed)
        {
            return false;
        }
        page.Part2 |= disclosure.Part2;
        page.Entries.Add(new Disclosed(stored with { Json = disclosure.Json }, ResourceSubsetter.Apply(disclosure.Json, subset), mode, access.PatientId));
        return true;
    }

    /// <summary>Records the page's consent decisions (one aggregated record) and the interaction, per person disclosed.</summary>
    public async Task RecordAsync(Page page, string action, string detail, CancellationToken ct)
    {
        var records = Aggregate(page.Decisions);
        var now = time.GetUtcNow();
        var purpose = gate.PurposeOf(page.Who);
        var byPatient = page.Entries.Where(e => e.PatientId is not null).GroupBy(e => e.PatientId!).ToList();
        if (byPatient.Count == 0)
        {
            records.Add(AuditRecord.For(page.Who, action, AuditOutcome.Success, now) with { PurposeOfUse = purpose, Detail = detail });
        }
        records.AddRange(byPatient.Select(g => AuditRecord.For(page.Who, action, AuditOutcome.Success, now) with
        {
            PatientId = g.Key,
            PurposeOfUse = purpose,
            Resources = g.Select(e => new AuditedResource(e.Stored.VersionedReference, e.Stored.SecurityLabels)).ToList(),
            Detail = detail,
        }));
        await audit.RecordAsync(records, ct);
    }

    /// <summary>A page of twenty costs two audit rows, not twenty-one: the decisions become one AuthZ-Consent record naming every Consent used.</summary>
    private static List<AuditRecord> Aggregate(List<AuditRecord> decisions)
    {
        if (decisions.Count <= 1)
        {
            return [.. decisions];
        }
        var first = decisions[0];
        return
        [
            first with
            {
                Outcome = decisions.Any(d => d.Outcome == AuditOutcome.Success) ? AuditOutcome.Success : AuditOutcome.MinorFailure,
                PatientId = decisions.Select(d => d.PatientId).Distinct().Count() == 1 ? first.PatientId : null,
                ConsentReference = null,
                Resources = decisions.Where(d => d.ConsentReference is not null).Select(d => d.ConsentReference!).Distinct()
                    .Select(c => new AuditedResource(c, [])).ToList(),
                Detail = $"{decisions.Count} decisions: " + string.Join("; ", decisions.Select(d => d.Detail).Distinct()),
            },
        ];
    }
}
