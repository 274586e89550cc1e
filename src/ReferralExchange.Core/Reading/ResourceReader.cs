using Hl7.Fhir.Model;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Reading;

/// <summary>
/// read, vread and instance history (FHIR R4 http.html#read, #vread, #history) behind the access policy. A resource the caller
/// may not see is reported exactly like one that does not exist.
/// </summary>
public sealed class ResourceReader(IResourceStore store, ConsentGate gate, IAuditTrail audit, SearchCursorSigner cursors, TimeProvider time)
{
    public static readonly IReadOnlySet<string> ReadableTypes = new HashSet<string>
    {
        "Patient", "ServiceRequest", "Consent", "Task", "Procedure", "Organization", "PractitionerRole",
    };

    /// <summary>A resource as this caller may receive it: consent-shaped JSON, and whether the §2.32 notice must go with it.</summary>
    public sealed record Disclosed(StoredResource Resource, bool Part2);

    public async Task<Disclosed> ReadAsync(Caller caller, string type, string id, CancellationToken ct)
    {
        var (current, access) = await ReadVisibleAsync(caller.Partner, type, id, ct);
        var (shaped, part2) = await DiscloseAsync(caller, AuditActions.Read, access, [current], ct);
        return new Disclosed(shaped[0], part2);
    }

    public async Task<Disclosed> ReadVersionAsync(Caller caller, string type, string id, int versionId, CancellationToken ct)
    {
        // Visibility is decided on the current version: access belongs to the referral, not to history.
        var (_, access) = await ReadVisibleAsync(caller.Partner, type, id, ct);
        var version = await store.ReadVersionAsync(type, id, versionId, ct) ?? throw GatewayException.NotFound(type, $"{id}/_history/{versionId}");
        var (shaped, part2) = await DiscloseAsync(caller, AuditActions.VRead, access, [version], ct);
        return new Disclosed(shaped[0], part2);
    }

    /// <summary>
    /// Instance history, newest first, <c>_since</c> and <c>_count</c> applied, paged by a cursor
    /// that keeps the walk's snapshot: versions written after the first page are not part of it.
    /// </summary>
    public async Task<(Bundle Bundle, bool Part2)> HistoryAsync(Caller caller, string type, string id, IReadOnlyList<KeyValuePair<string, string>> parameters,
        bool strict, string baseUrl, CancellationToken ct)
    {
        var history = HistoryParameters.Parse(parameters, strict);
        var (_, access) = await ReadVisibleAsync(caller.Partner, type, id, ct);
        var now = time.GetUtcNow();
        var path = $"{type}/{id}/_history";
        var binding = SearchLinks.Binding(caller, path, history.Applied);
        var after = history.CursorToken is { } token ? cursors.Open(token, binding, now) : null;
        var snapshot = after?.SnapshotTicks ?? SearchSnapshot.At(now);
        var afterVersion = after is null ? int.MaxValue : int.TryParse(after.Id, out var v) ? v : throw SearchValues.Bad("_cursor", "not a history cursor");

        var matching = (await store.HistoryAsync(type, id, ct))
            .Where(r => r.LastUpdated.UtcTicks <= snapshot && (history.Since is not { } since || r.LastUpdated >= since))
            .ToList();
        var page = matching.Where(r => r.VersionId < afterVersion).Take(history.Count + 1).ToList();
        var hasMore = page.Count > history.Count;
        page = page.Take(history.Count).ToList();

        var canonical = SearchLinks.Canonical(history.Applied);
        string? next = null;
        if (hasMore && page.Count > 0)
        {
            var last = page[^1];
            next = SearchLinks.Link(baseUrl, path, canonical, cursors.Issue(
                new SearchCursor(HistoryParameters.NewestFirst, last.LastUpdated.UtcTicks, last.LastUpdated.UtcTicks, last.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture), snapshot), binding));
        }
        // Shaped and recorded before the data leaves: if consent refuses or the audit write fails, nothing is sent.
        IReadOnlyList<StoredResource> versions = [];
        var part2 = false;
        if (page.Count > 0)
        {
            (versions, part2) = await DiscloseAsync(caller, AuditActions.History, access, page, ct);
        }
        return (HistoryBundle.Build(baseUrl, versions, matching.Count, SearchLinks.Link(baseUrl, path, canonical, history.CursorToken), next), part2);
    }

    public static void EnsureKnownType(string type)
    {
        if (!ReadableTypes.Contains(type))
        {
            // Unknown or unsupported resource type: the endpoint does not exist (FHIR R4 §3.1.0.1).
            throw new GatewayException(ErrorKind.NotFound, "not-supported", $"Resource type '{Sanitize(type)}' is not served here", "type");
        }
    }

    private async Task<(StoredResource Current, ReferralAccess? Access)> ReadVisibleAsync(Partner caller, string type, string id, CancellationToken ct)
    {
        EnsureKnownType(type);
        var (current, access) = await store.ReadWithAccessAsync(type, id, ct) ?? throw GatewayException.NotFound(type, id);
        if (!AccessPolicy.CanSee(caller, current.ResourceType, access))
        {
            throw GatewayException.NotFound(current.ResourceType, current.Id);
        }
        return (current, access);
    }

    /// <summary>
    /// Asks the consent gate for each resource, records the decisions and the interaction, and
    /// returns the shaped resources. A refusal answers exactly like a missing resource.
    /// </summary>
    private async Task<(IReadOnlyList<StoredResource> Shaped, bool Part2)> DiscloseAsync(Caller caller, string action, ReferralAccess? access,
        IReadOnlyList<StoredResource> resources, CancellationToken ct)
    {
        var records = new List<AuditRecord>();
        var shaped = new List<StoredResource>();
        var part2 = false;
        var refused = false;
        foreach (var resource in resources)
        {
            var disclosure = await gate.ShapeAsync(caller, access, resource, ct);
            if (disclosure.DecisionRecord is { } decision && !records.Contains(decision))
            {
                records.Add(decision with { Resources = [new AuditedResource(resource.VersionedReference, resource.SecurityLabels)] });
            }
            refused |= !disclosure.Allowed;
            part2 |= disclosure.Part2;
            shaped.Add(resource with { Json = disclosure.Json });
        }
        records.Add(AuditRecord.For(caller, action, refused ? AuditOutcome.MinorFailure : AuditOutcome.Success, time.GetUtcNow()) with
        {
            PatientId = access?.PatientId,
            PurposeOfUse = gate.PurposeOf(caller),
            Resources = resources.Select(r => new AuditedResource(r.VersionedReference, r.SecurityLabels)).ToList(),
            Detail = refused ? "refused: consent does not permit this disclosure" : null,
        });
        await audit.RecordAsync(records, ct);
        if (refused)
        {
            var first = resources[0];
            throw GatewayException.NotFound(first.ResourceType, first.Id);
        }
        return (shaped, part2);
    }

    private static string Sanitize(string type) => new(type.Where(char.IsAsciiLetterOrDigit).Take(64).ToArray());
}
