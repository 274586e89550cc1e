using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// The referral mix of a seeded data set: mostly closed referrals across the three receiving
/// partners, plus open ones in bh-riverside's inbox (mental health, some substance use, which
/// carries 42 CFR Part 2 labels). Weights apply to the closed part; the open count is asked for.
/// </summary>
public static class ReferralTemplates
{
    public const string Psw = "psw-metro";
    public const string Provider = "bh-riverside";
    public const string Housing = "housing-harbor";
    public const string Va = "va-central";

    private static readonly TaskMove Accept = new("accepted");

    // Relaxed escaping keeps autocannon's [<id>] placeholder literal (the default writes \u003C).
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<TemplateKind> Open { get; } =
    [
        new("open-bh-mental-health", Provider, ["mental-health"], ["demographics", "contact", "referral", "mental-health"], false, [], 80),
        new("open-bh-substance-use", Provider, ["substance-use"], ["demographics", "contact", "referral", "substance-use"], false, [], 20),
    ];

    public static IReadOnlyList<TemplateKind> Closed { get; } =
    [
        new("completed-bh", Provider, ["mental-health"], ["demographics", "contact", "referral", "mental-health"], false,
            [Accept, new("in-progress"), new("completed", Output: "code")], 35),
        new("completed-housing", Housing, ["homelessness"], ["demographics", "contact", "referral", "housing"], false,
            [Accept, new("completed", Output: "procedure")], 20),
        new("completed-va", Va, ["veteran-status", "mental-health"], ["demographics", "contact", "referral", "veteran", "mental-health"], true,
            [Accept, new("completed", Output: "code")], 20),
        new("rejected-bh", Provider, ["mental-health"], ["demographics", "contact", "referral", "mental-health"], false,
            [new("rejected", Reason: "Outside our catchment area")], 10),
        new("cancelled-housing", Housing, ["housing-instability"], ["demographics", "contact", "referral", "housing"], false,
            [new("cancelled", ByRequester: true, Reason: "Person found housing through family")], 10),
        // Accepted but not finished: open, yet not in the requested inbox.
        new("accepted-bh", Provider, ["mental-health"], ["demographics", "contact", "referral", "mental-health"], false, [Accept], 5),
    ];

    public static IEnumerable<TemplateKind> All => Open.Concat(Closed);

    /// <summary>
    /// The native JSON referral (five resources once translated). <paramref name="referralId"/> also
    /// makes the person's id, so both are unique per submission.
    /// </summary>
    public static string NativeBody(string referralId, TemplateKind kind, DateTimeOffset signedOn) => new JsonObject
    {
        ["referralId"] = referralId,
        ["person"] = new JsonObject
        {
            ["personId"] = $"P-{referralId}",
            ["givenNames"] = new JsonArray("Synthetic"),
            ["familyName"] = "Person",
            ["birthDate"] = "1980-01-01",
            ["gender"] = "unknown",
            ["phone"] = "+1-555-0100",
        },
        ["needs"] = new JsonArray(kind.Needs.Select(n => (JsonNode)new JsonObject { ["category"] = n, ["description"] = "Follow-up after crisis call" }).ToArray()),
        ["urgency"] = "urgent",
        ["narrative"] = "Synthetic benchmark referral.",
        ["veteran"] = kind.Veteran,
        ["referringWorker"] = new JsonObject { ["workerId"] = "W-1", ["name"] = "Bench Worker" },
        ["recipient"] = kind.Recipient,
        ["consent"] = new JsonObject
        {
            ["recipients"] = new JsonArray(kind.Recipient),
            ["purposes"] = new JsonArray("TREAT", "CAREMGT"),
            ["dataClasses"] = new JsonArray(kind.DataClasses.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["signedOn"] = signedOn.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            // Far enough ahead that seeded referrals (dated up to years back) stay readable.
            ["expiresOn"] = signedOn.AddYears(3).ToString("yyyy-MM-dd"),
            ["formReference"] = "https://psw-metro.example/forms/1",
        },
    }.ToJsonString(Relaxed);

    /// <summary>The POST /referrals body for the outside generator: autocannon's -I puts a fresh id in place of [&lt;id&gt;].</summary>
    public static string OutsideSubmissionBody(DateTimeOffset signedOn) =>
        NativeBody("bench-[<id>]", Open[0], signedOn);
}
