using ReferralExchange.Core.Referrals;
using ReferralExchange.Gateway.Fhir;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>201 with Location for a new referral; 200 with the first answer for a repeat (FHIR R4 §3.1.0.8 conditional create).</summary>
internal static class SubmissionResponse
{
    public static Task WriteAsync(HttpContext context, SubmissionResult result)
    {
        if (result.TaskLocation.Length > 0)
        {
            context.Response.Headers.Location = $"{FhirResults.BaseUrl(context.Request)}/{result.TaskLocation}";
        }
        return FhirResults.WriteResourceAsync(context, result.Response, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}
