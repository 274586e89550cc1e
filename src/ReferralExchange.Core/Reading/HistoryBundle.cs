using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Reading;

/// <summary>A history Bundle (FHIR R4 http.html#history): each version with the request that made it and its response.</summary>
public static class HistoryBundle
{
    public static Bundle Build(string baseUrl, IEnumerable<StoredResource> versions, int? total, string self, string? next)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.History, Total = total };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = self });
        if (next is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = next });
        }
        foreach (var version in versions)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{version.ResourceType}/{version.Id}",
                Resource = FhirJson.ParseStored(version.Json),
                Request = new Bundle.RequestComponent
                {
                    Method = version.VersionId == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT,
                    Url = version.VersionId == 1 ? version.ResourceType : $"{version.ResourceType}/{version.Id}",
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
}
