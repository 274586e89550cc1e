using Hl7.Fhir.Model;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Reading;

/// <summary>
/// read, vread and history (FHIR R4 §3.1.0.1–3) behind the access policy. A resource the caller
/// may not see is reported exactly like one that does not exist.
/// </summary>
public sealed class ResourceReader(IResourceStore store, ConsentGate gate, IAuditTrail audit, TimeProvider time)
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

    public async Task<(Bundle Bundle, bool Part2)> HistoryAsync(Caller caller, string type, string id, string baseUrl, CancellationToken ct)
    {
        var (_, access) = await ReadVisibleAsync(caller.Partner, type, id, ct);
        // Shaped and recorded before the data leaves: if consent refuses or the audit write fails, nothing is sent.
        var (versions, part2) = await DiscloseAsync(caller, AuditActions.History, access, await store.HistoryAsync(type, id, ct), ct);
        var bundle = new Bundle { Type = Bundle.BundleType.History, Total = versions.Count };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = $"{baseUrl}/{type}/{id}/_history" });
        foreach (var version in versions)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{type}/{id}",
                Resource = FhirJson.ParseStored(version.Json),
                Request = new Bundle.RequestComponent
                {
                    Method = version.VersionId == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT,
                    Url = version.VersionId == 1 ? type : $"{type}/{id}",
                },
                Response = new Bundle.ResponseComponent
                {
                    Status = version.VersionId == 1 ? "201" : "200",
                    Etag = version.ETag,
                    LastModified = version.LastUpdated,
                },
            });
        }
        return (bundle, part2);
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
        var current = await store.ReadAsync(type, id, ct) ?? throw GatewayException.NotFound(type, id);
        var access = current.ReferralKey is null ? null : await store.GetAccessAsync(current.ReferralKey, ct);
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
