using System.Globalization;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// The audit trail as FHIR: a partner sees the events of its own actions; the operator sees all.
/// The accounting of disclosures (HIPAA 45 CFR §164.528) lists, for one person, which partners
/// received their data, when and for what purpose. Reading the trail is itself audited.
/// </summary>
public sealed class AuditEventService(IAuditQuery query, IResourceStore store, IAuditTrail audit, IAuditLogTree tree, TimeProvider time, AuditServer server)
{
    /// <summary>Interactions that hand a person's data to a partner.</summary>
    public static readonly IReadOnlyCollection<string> DisclosingActions =
        [AuditActions.Read, AuditActions.VRead, AuditActions.History, AuditActions.Search, AuditActions.Disclosure];

    /// <summary>
    /// <c>GET [base]/AuditEvent</c>: lenient as every search here (search.html#errors): an unknown
    /// parameter is ignored and left out of the self and next links, or 400 under
    /// <c>Prefer: handling=strict</c>; the applied <c>patient</c> stays in the links, so a next page
    /// pages the same search.
    /// </summary>
    public async Task<Bundle> SearchAsync(Caller caller, IReadOnlyList<KeyValuePair<string, string>> parameters, bool strict, string baseUrl, CancellationToken ct)
    {
        int count = 50, offset = 0;
        string? patient = null;
        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "_count": count = Math.Min(ParseNumber(name, value), 200); break;
                case "_offset": offset = ParseNumber(name, value); break;
                case "patient": patient = value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value; break;
                case "_format" or "_pretty": break;
                default:
                    if (strict) throw GatewayException.BadRequest($"search parameter '{name}' is not supported for AuditEvent", name);
                    break;
            }
        }
        var partnerFilter = IsOperator(caller) ? null : caller.Partner.Id;
        var (total, page) = await query.ListAsync(partnerFilter, patient, null, successOnly: false, null, offset, count, ct);
        await RecordReadAsync(caller, patient, "AuditEvent search", ct);
        var self = patient is null ? $"AuditEvent?_count={count}" : $"AuditEvent?patient={Uri.EscapeDataString("Patient/" + patient)}&_count={count}";
        return Searchset(total, page.Select(p => (p.Sequence, ForViewer(caller, p.Record))).ToList(), baseUrl, self, offset, count);
    }

    public async Task<AuditEvent> ReadAsync(Caller caller, string id, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || await query.FindAsync(sequence, ct) is not { } found
            || (!IsOperator(caller) && found.Record.PartnerId != caller.Partner.Id))
        {
            throw GatewayException.NotFound("AuditEvent", id);
        }
        await RecordReadAsync(caller, found.Record.PatientId, $"AuditEvent/{id}", ct);
        return AuditEventMapper.ToAuditEvent(found.Sequence, ForViewer(caller, found.Record), server);
    }

    /// <summary>Who received this person's data. Asked by the operator on the person's behalf, or by the referral source.</summary>
    public async Task<Bundle> AccountingOfDisclosuresAsync(Caller caller, string patientId, string baseUrl, CancellationToken ct)
    {
        var patient = await store.ReadAsync("Patient", patientId, ct) ?? throw GatewayException.NotFound("Patient", patientId);
        var access = patient.ReferralKey is null ? null : await store.GetAccessAsync(patient.ReferralKey, ct);
        if (access is null || (!IsOperator(caller) && caller.Partner.Id != access.RequesterId))
        {
            throw GatewayException.NotFound("Patient", patientId);
        }
        // Disclosures are what left the gateway for someone other than the source of the data.
        var (total, page) = await query.ListAsync(null, patientId, DisclosingActions, successOnly: true, access.RequesterId, 0, 1000, ct);
        await RecordReadAsync(caller, patientId, "accounting of disclosures", ct);
        var bundle = Searchset(total, page, baseUrl, $"Patient/{patientId}/$accounting-of-disclosures", 0, 1000);
        // Each disclosure says where it is in the Merkle log, so it can be proven included (ADR 0011).
        var checkpointSize = (await tree.LatestCheckpointAsync(ct))?.TreeSize;
        for (var i = 0; i < page.Count; i++)
        {
            AuditLogPosition.Annotate((AuditEvent)bundle.Entry[i].Resource!, page[i].Sequence, checkpointSize);
        }
        return bundle;
    }

    private Task RecordReadAsync(Caller caller, string? patientId, string detail, CancellationToken ct) =>
        audit.RecordAsync(AuditRecord.For(caller, AuditActions.AuditRead, AuditOutcome.Success, time.GetUtcNow()) with
        {
            PatientId = patientId,
            Detail = detail,
        }, ct);

    private Bundle Searchset(int total, IReadOnlyList<(long Sequence, AuditRecord Record)> page, string baseUrl, string self, int offset, int count)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Total = total };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = WithOffset($"{baseUrl}/{self}", offset) });
        if (offset + page.Count < total)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = WithOffset($"{baseUrl}/{self}", offset + count) });
        }
        foreach (var (sequence, record) in page)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/AuditEvent/{sequence}",
                Resource = AuditEventMapper.ToAuditEvent(sequence, record, server),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }
        return bundle;
    }

    private static string WithOffset(string url, int offset) => url.Contains('?') ? $"{url}&_offset={offset}" : $"{url}?_offset={offset}";

    /// <summary>
    /// A refusal answers like a missing record; a partner's view of its own refused actions must not
    /// undo that (which patient, which labels, why consent said no). The operator sees everything.
    /// </summary>
    private static AuditRecord ForViewer(Caller caller, AuditRecord record) =>
        IsOperator(caller) || record.Outcome == AuditOutcome.Success
            ? record
            : record with
            {
                PatientId = null,
                ConsentReference = null,
                Detail = "refused",
                Resources = record.Action == AuditActions.ConsentDecision ? [] : record.Resources.Select(r => r with { SecurityLabels = [] }).ToList(),
            };

    private static bool IsOperator(Caller caller) => caller.Partner.Kind == PartnerKind.Operator;

    private static int ParseNumber(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw GatewayException.BadRequest("expected a non-negative integer", name);
}
