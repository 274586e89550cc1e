using Hl7.Fhir.Model;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Reading;

/// <summary>
/// read, vread and history (FHIR R4 §3.1.0.1–3) behind the access policy. A resource the caller
/// may not see is reported exactly like one that does not exist.
/// </summary>
public sealed class ResourceReader(IResourceStore store, IAuditTrail audit, TimeProvider time)
{
    public static readonly IReadOnlySet<string> ReadableTypes = new HashSet<string>
    {
        "Patient", "ServiceRequest", "Consent", "Task", "Procedure", "Organization", "PractitionerRole",
    };

    public async Task<StoredResource> ReadAsync(Caller caller, string type, string id, CancellationToken ct)
    {
        var (current, access) = await ReadVisibleAsync(caller.Partner, type, id, ct);
        await RecordAsync(caller, AuditActions.Read, access, [current], ct);
        return current;
    }

    public async Task<StoredResource> ReadVersionAsync(Caller caller, string type, string id, int versionId, CancellationToken ct)
    {
        // Visibility is decided on the current version: access belongs to the referral, not to history.
        var (_, access) = await ReadVisibleAsync(caller.Partner, type, id, ct);
        var version = await store.ReadVersionAsync(type, id, versionId, ct) ?? throw GatewayException.NotFound(type, $"{id}/_history/{versionId}");
        await RecordAsync(caller, AuditActions.VRead, access, [version], ct);
        return version;
    }

    public async Task<Bundle> HistoryAsync(Caller caller, string type, string id, string baseUrl, CancellationToken ct)
    {
        var (_, access) = await ReadVisibleAsync(caller.Partner, type, id, ct);
        var versions = await store.HistoryAsync(type, id, ct);
        // Recorded before the data leaves: if the audit write fails, nothing is sent.
        await RecordAsync(caller, AuditActions.History, access, versions, ct);
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
        return bundle;
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

    private System.Threading.Tasks.Task RecordAsync(Caller caller, string action, ReferralAccess? access, IEnumerable<StoredResource> resources, CancellationToken ct) =>
        audit.RecordAsync(AuditRecord.For(caller, action, AuditOutcome.Success, time.GetUtcNow()) with
        {
            PatientId = access?.PatientId,
            Resources = resources.Select(r => new AuditedResource(r.VersionedReference, r.SecurityLabels)).ToList(),
        }, ct);

    private static string Sanitize(string type) => new(type.Where(char.IsAsciiLetterOrDigit).Take(64).ToArray());
}
