using System.Text.Json.Nodes;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>Reads every value the consult service will read, so that a wrongly typed one fails as a 400 before the service runs.</summary>
internal static class CdsRequestShape
{
    public static void Check(JsonObject request)
    {
        _ = request["hook"]?.GetValue<string>();
        if (request["context"] is not JsonObject context)
        {
            return;
        }
        foreach (var (list, property) in new[] { ("patientId", "value"), ("actor", "value"), ("class", "code"), ("securityLabel", "code") })
        {
            foreach (var item in context[list] as JsonArray ?? [])
            {
                _ = item?[property]?.GetValue<string>();
            }
        }
        foreach (var purpose in context["purposeOfUse"] as JsonArray ?? [])
        {
            _ = purpose?.GetValue<string>();
        }
    }
}
