using Hl7.Fhir.Model;
using ReferralExchange.Core.Intake;

namespace ReferralExchange.Core.Referrals;

/// <summary>The transaction-response Bundle for a stored referral (FHIR R4 §3.1.0.11.3): one entry per resource, with its location and version.</summary>
public static class TransactionResponseBuilder
{
    public static Bundle Build(ReferralResources referral, DateTimeOffset lastUpdated, string baseUrl)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.TransactionResponse, Timestamp = lastUpdated };
        foreach (var resource in referral.All())
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{resource.TypeName}/{resource.Id}",
                Response = new Bundle.ResponseComponent
                {
                    Status = "201 Created",
                    Location = $"{resource.TypeName}/{resource.Id}/_history/1",
                    Etag = "W/\"1\"",
                    LastModified = lastUpdated,
                },
            });
        }
        return bundle;
    }
}
