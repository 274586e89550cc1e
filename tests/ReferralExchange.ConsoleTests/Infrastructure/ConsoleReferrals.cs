using System.Net;

namespace ReferralExchange.ConsoleTests.Infrastructure;

/// <summary>Creating a referral as the police social worker does, through the console's form.</summary>
public static class ConsoleReferrals
{
    public static (string Name, string Value)[] Form(string recipient = "bh-riverside", string? familyName = "Quillfeather", string? consentRecipient = null) =>
    [
        ("Form.GivenName", "Ximena"),
        ("Form.FamilyName", familyName ?? ""),
        ("Form.BirthDate", "1987-03-14"),
        ("Form.Gender", "female"),
        ("Form.Phone", "555-0199"),
        ("Form.PersonId", "P-" + Guid.NewGuid().ToString("N")[..8]),
        ("Form.Needs", "mental-health"),
        ("Form.NeedDescription", "Needs follow-up after a welfare check"),
        ("Form.Urgency", "urgent"),
        ("Form.SafeContactInstructions", "Lives behind the library; call first"),
        ("Form.Recipient", recipient),
        ("Form.ConsentRecipients", consentRecipient ?? recipient),
        ("Form.ConsentPurposes", "TREAT"),
        ("Form.ConsentPurposes", "CAREMGT"),
        ("Form.ConsentDataClasses", "demographics"),
        ("Form.ConsentDataClasses", "contact"),
        ("Form.ConsentDataClasses", "referral"),
        ("Form.ConsentDataClasses", "mental-health"),
        ("Form.ConsentExpiresOn", "2027-12-31"),
        ("Form.ConsentFormReference", "https://psw-metro.example/forms/RF-1"),
    ];

    /// <returns>The Task id of the new referral.</returns>
    public static async Task<string> CreateAsync(ConsoleClient psw, string recipient = "bh-riverside", string? consentRecipient = null)
    {
        var created = await psw.SubmitAsync("/Referrals/New", "/Referrals/New", Form(recipient, consentRecipient: consentRecipient));
        Assert.True(created.Status == HttpStatusCode.Redirect, $"expected a redirect, got {(int)created.Status}: {Errors(created.Html)}");
        return created.Location!.Split('/', '?')[2];
    }

    /// <returns>The Task id of a new referral whose consent leaves out one data class.</returns>
    public static async Task<string> CreateWithoutClassAsync(ConsoleClient psw, string dataClass)
    {
        var created = await psw.SubmitAsync("/Referrals/New", "/Referrals/New", Form().Where(f => !(f.Name == "Form.ConsentDataClasses" && f.Value == dataClass)).ToArray());
        Assert.True(created.Status == HttpStatusCode.Redirect, $"expected a redirect, got {(int)created.Status}: {Errors(created.Html)}");
        return created.Location!.Split('/', '?')[2];
    }

    private static string Errors(string html) =>
        string.Join(" | ", System.Text.RegularExpressions.Regex.Matches(html, "class=\"field-error[^\"]*\"[^>]*>([^<]+)<").Select(m => m.Groups[1].Value)
            .Concat(System.Text.RegularExpressions.Regex.Matches(html, "<li>([^<]+)</li>").Select(m => m.Groups[1].Value)));
}
