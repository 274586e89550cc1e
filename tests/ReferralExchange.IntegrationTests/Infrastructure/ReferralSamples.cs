using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Synthetic native referrals. The person's details are distinctive so log scans can find leaks.</summary>
public static class ReferralSamples
{
    public const string FamilyName = "Zebrowskiquist";
    public const string GivenName = "Marisol";
    public const string BirthDate = "1984-02-29";
    public const string Phone = "+1-555-0199-7731";
    public const string Narrative = "Found sleeping in the Larkspur underpass after a welfare check";

    /// <summary>Values that must never reach a log line.</summary>
    public static readonly string[] PersonData = [FamilyName, GivenName, BirthDate, Phone, Narrative];

    public static JsonObject Native(string? recipient = GatewayFixture.BehavioralHealth, string? referralId = null,
        string[]? categories = null, string[]? consentRecipients = null) => new()
    {
        ["referralId"] = referralId ?? "R-" + Guid.NewGuid().ToString("N")[..10],
        ["person"] = new JsonObject
        {
            ["personId"] = "P-" + Guid.NewGuid().ToString("N")[..8],
            ["givenNames"] = new JsonArray(GivenName),
            ["familyName"] = FamilyName,
            ["birthDate"] = BirthDate,
            ["gender"] = "female",
            ["phone"] = Phone,
        },
        ["needs"] = new JsonArray((categories ?? ["mental-health"]).Select(c => (JsonNode)new JsonObject
        {
            ["category"] = c,
            ["description"] = "Needs follow-up",
        }).ToArray()),
        ["urgency"] = "urgent",
        ["narrative"] = Narrative,
        ["doNotContact"] = false,
        ["safeContactInstructions"] = "Call the shelter front desk",
        ["veteran"] = false,
        ["referringWorker"] = new JsonObject { ["workerId"] = "W-17", ["name"] = "Jordan Caseworker" },
        ["recipient"] = recipient,
        ["consent"] = new JsonObject
        {
            ["recipients"] = new JsonArray((consentRecipients ?? (recipient is null ? [GatewayFixture.BehavioralHealth] : [recipient])).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
            ["purposes"] = new JsonArray("TREAT", "CAREMGT"),
            ["dataClasses"] = new JsonArray("demographics", "contact", "referral", "mental-health"),
            ["signedOn"] = "2026-11-20T14:00:00Z",
            ["expiresOn"] = "2027-05-20",
            ["formReference"] = "https://psw-metro.example/forms/RF-77",
        },
    };
}
