using System.Diagnostics;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Referrals;
using ReferralExchange.Gateway.Errors;
using ReferralExchange.Infrastructure.Telemetry;
using Tags = ReferralExchange.Infrastructure.Telemetry.GatewayTelemetry.Tags;

namespace ReferralExchange.Gateway.Telemetry;

/// <summary>
/// The intake span (<c>rx.referral.submit</c>) and the <c>rx.referrals.submitted</c> counter around
/// one submission, native or FHIR transaction, from reading the body to the durable store. Outcomes:
/// created, replayed (an idempotent repeat), rejected (a 4xx, with the error kind) or failed (5xx).
/// </summary>
public static class SubmissionTelemetry
{
    public static async Task<SubmissionResult> TrackAsync(HttpContext context, string format, Func<Task<SubmissionResult>> submit)
    {
        using var span = GatewayTelemetry.Source.StartActivity(GatewayTelemetry.Spans.Submit);
        span?.SetTag(Tags.Format, format);
        span?.SetTag(Tags.Partner, (context.Items["ReferralExchange.Partner"] as Partner)?.Id);
        var outcome = "failed";
        string? rejection = null;
        try
        {
            var result = await submit();
            outcome = result.Created ? "created" : "replayed";
            return result;
        }
        catch (GatewayException error) when (ErrorStatus.Of(error.Kind) < 500)
        {
            outcome = "rejected";
            rejection = error.Kind.ToString();
            throw;
        }
        finally
        {
            span?.SetTag(Tags.Outcome, outcome);
            span?.SetTag(Tags.Rejection, rejection);
            if (outcome == "failed")
            {
                span?.SetStatus(ActivityStatusCode.Error);
            }
            GatewayMetrics.ReferralsSubmitted.Add(1,
                new KeyValuePair<string, object?>(Tags.Format, format),
                new KeyValuePair<string, object?>(Tags.Outcome, outcome),
                new KeyValuePair<string, object?>(Tags.Rejection, rejection ?? "none"));
        }
    }
}
