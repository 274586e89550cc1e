using System.Text.Json;
using System.Text.Json.Serialization;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Referrals;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// <c>POST /referrals</c>: a police social work case system submits a referral in its native JSON
/// (docs/native-referral.md); the answer is the FHIR transaction-response.
/// </summary>
public static class ReferralEndpoints
{
    private static readonly JsonSerializerOptions NativeJson = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field must not be silently dropped: "doNotContct": true would lose a safety instruction.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static void MapReferralEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/referrals", SubmitAsync).WithBody(BodyKind.Submission);
    }

    private static async Task SubmitAsync(HttpContext context, RequestBodyReader reader, ReferralSubmissionService service)
    {
        var result = await Telemetry.SubmissionTelemetry.TrackAsync(context, "native", async () =>
        {
            var caller = context.Caller();
            var body = await reader.ReadAsync(context.Request, RequestBodyReader.PlainJson, context.RequestAborted);
            var referral = Deserialize(body);
            return await service.SubmitNativeAsync(caller, referral, context.Request.Headers["If-None-Exist"].ToString(),
                FhirResults.BaseUrl(context.Request), context.RequestAborted);
        });
        await SubmissionResponse.WriteAsync(context, result);
    }

    private static NativeReferral Deserialize(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<NativeReferral>(body, NativeJson)
                ?? throw GatewayException.BadRequest("The body must be a referral object");
        }
        catch (JsonException error)
        {
            // The path says where; the reader's message may quote the body, so it is not passed on.
            var path = error.Path is { Length: > 2 } p ? p[2..] : null;
            throw GatewayException.BadRequest(
                path is null ? "The body is not well-formed JSON" : "Unknown field, or a value of the wrong type",
                path);
        }
    }
}
