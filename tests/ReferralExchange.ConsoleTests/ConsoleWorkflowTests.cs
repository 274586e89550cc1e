using System.Net;
using ReferralExchange.ConsoleTests.Infrastructure;

namespace ReferralExchange.ConsoleTests;

/// <summary>Issue 16's story over HTTP against the real console: the PSW, the behavioral-health worker, revocation, and the refusals.</summary>
public sealed class ConsoleWorkflowTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Referral_AcceptedAndDeliveredThenConsentRevoked_PswSeesDeliveredAndWorkerIsRefused()
    {
        using var psw = console.NewClient();
        var home = await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal("/Referrals", home.PathAndQuery);
        var taskId = await ConsoleReferrals.CreateAsync(psw);

        using var worker = console.NewClient();
        await worker.SignInAsync(ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        Assert.Contains($"/Inbox/{taskId}", (await worker.GetAsync("/Inbox")).Html);
        var opened = await worker.GetAsync($"/Inbox/{taskId}");
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Contains("Quillfeather", opened.Html);
        var accepted = await worker.SubmitAsync($"/Inbox/{taskId}", $"/Inbox/{taskId}?handler=Accept");
        Assert.Equal($"/Inbox/{taskId}?done=accepted", accepted.Location);
        var delivered = await worker.SubmitAsync($"/Inbox/{taskId}", $"/Inbox/{taskId}?handler=Delivered", ("DeliveredService", "intake-appointment-attended"));
        Assert.Equal($"/Inbox/{taskId}?done=delivered", delivered.Location);
        Assert.Contains("completed", (await worker.GetAsync($"/Inbox/{taskId}")).Html);

        var list = await psw.GetAsync("/Referrals");
        Assert.Contains($"/Referrals/{taskId}", list.Html);
        Assert.Contains("badge delivered", list.Html);
        var detail = await psw.GetAsync($"/Referrals/{taskId}");
        Assert.Contains("Yes: the service was delivered", detail.Html);
        Assert.Contains("<strong>accepted</strong>", detail.Html);

        var revoked = await psw.SubmitAsync($"/Referrals/{taskId}", $"/Referrals/{taskId}?handler=Revoke");
        Assert.Equal($"/Referrals/{taskId}?revoked=1", revoked.Location);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/Inbox/{taskId}")).Status);
    }

    [Fact]
    public async Task Referral_OpenedByUrlByAnotherPartnersWorker_IsNotFound()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var taskId = await ConsoleReferrals.CreateAsync(psw);

        using var housing = console.NewClient();
        await housing.SignInAsync(ConsoleFixture.Housing, ConsoleFixture.Password);
        var page = await housing.GetAsync($"/Inbox/{taskId}");
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain("Quillfeather", page.Html);
        Assert.DoesNotContain(taskId, (await housing.GetAsync("/Inbox")).Html);
    }

    [Fact]
    public async Task Form_PostedWithoutAntiforgeryToken_IsRefusedAndNothingIsCreated()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var before = (await psw.GetAsync("/Referrals")).Html;
        var forged = await psw.PostAsync("/Referrals/New", ConsoleReferrals.Form());
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(Count(before), Count((await psw.GetAsync("/Referrals")).Html));

        static int Count(string html) => System.Text.RegularExpressions.Regex.Matches(html, "href=\"/Referrals/[0-9a-f-]{8,}").Count;
    }

    [Fact]
    public async Task Referral_WithImpossibleBirthDate_ShowsTheApiValidatorsMessageNextToTheField()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var refused = await psw.SubmitAsync("/Referrals/New", "/Referrals/New", ConsoleReferrals.Form().Select(f => f.Name == "Form.BirthDate" ? (f.Name, "1987-13-45") : f).ToArray());
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Matches("data-valmsg-for=\"Form.BirthDate\"[^>]*>[^<]+<", refused.Html);
    }

    [Fact]
    public async Task OpenReferral_ClaimedByAConsentedPartner_BecomesItsReferral()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var taskId = await ConsoleReferrals.CreateAsync(psw, recipient: "", consentRecipient: "bh-riverside");

        using var worker = console.NewClient();
        await worker.SignInAsync(ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        Assert.Contains($"/Inbox/{taskId}", (await worker.GetAsync("/Inbox")).Html);
        Assert.Contains("Claim this referral", (await worker.GetAsync($"/Inbox/{taskId}")).Html);
        var claimed = await worker.SubmitAsync($"/Inbox/{taskId}", $"/Inbox/{taskId}?handler=Claim");
        Assert.Equal($"/Inbox/{taskId}?done=claimed", claimed.Location);
        var after = await worker.GetAsync($"/Inbox/{taskId}");
        Assert.DoesNotContain("Claim this referral", after.Html);
        Assert.Contains("handler=Accept", after.Html);
    }

    [Fact]
    public async Task Referral_WhoseConsentLeavesOutContactDetails_ShowsTheWorkerANoteOfWhatWasWithheldNotTheContent()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var form = ConsoleReferrals.Form().Where(f => !(f.Name == "Form.ConsentDataClasses" && f.Value == "contact")).ToArray();
        var created = await psw.SubmitAsync("/Referrals/New", "/Referrals/New", form);
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        var taskId = created.Location!.Split('/', '?')[2];

        using var worker = console.NewClient();
        await worker.SignInAsync(ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        var page = await worker.GetAsync($"/Inbox/{taskId}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("id=\"withheld\"", page.Html);
        Assert.Contains("contact", System.Text.RegularExpressions.Regex.Match(page.Html, "<ul id=\"withheld\">(.*?)</ul>", System.Text.RegularExpressions.RegexOptions.Singleline).Value);
        Assert.Contains("Quillfeather", page.Html);
        Assert.DoesNotContain("555-0199", page.Html);
    }

    [Fact]
    public async Task Referral_WhoseConsentWithholdsItsMainDataClass_IsNotListedAndItsPageIsTheOneForNoReferralAtAll()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        // A mental-health referral whose consent leaves out the mental-health class: the API refuses
        // the receiver every resource of it with a 404, identical to a missing one (ADR 0004).
        var taskId = await ConsoleReferrals.CreateWithoutClassAsync(psw, "mental-health");

        using var worker = console.NewClient();
        await worker.SignInAsync(ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        Assert.DoesNotContain(taskId, (await worker.GetAsync("/Inbox")).Html);
        var withheld = await worker.GetAsync($"/Inbox/{taskId}");
        var missing = await worker.GetAsync($"/Inbox/{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.NotFound, withheld.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        // Nothing tells the two apart: not the words, not the class, not the person.
        Assert.Equal(WithoutTokens(missing.Html), WithoutTokens(withheld.Html));
        Assert.Contains("id=\"unavailable\"", withheld.Html);
        foreach (var absent in ConsoleFixture.PersonData.Append("mental").Append("withheld"))
        {
            Assert.DoesNotContain(absent, withheld.Html, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string WithoutTokens(string html) => System.Text.RegularExpressions.Regex.Replace(html, "name=\"__rx_af\" type=\"hidden\" value=\"[^\"]+\"", "");

    [Fact]
    public async Task Reject_WithoutReasonIsRefusedBesideTheField_WithReasonTheSourceSeesTheStatusButNotTheFreeText()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var taskId = await ConsoleReferrals.CreateAsync(psw);
        using var worker = console.NewClient();
        await worker.SignInAsync(ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);

        var noReason = await worker.SubmitAsync($"/Inbox/{taskId}", $"/Inbox/{taskId}?handler=Reject", ("Reason", ""));
        Assert.Equal(HttpStatusCode.OK, noReason.Status);
        Assert.Matches("data-valmsg-for=\"Reason\"[^>]*>[^<]+<", noReason.Html);
        var rejected = await worker.SubmitAsync($"/Inbox/{taskId}", $"/Inbox/{taskId}?handler=Reject", ("Reason", "No capacity this month"));
        Assert.Equal($"/Inbox/{taskId}?done=rejected", rejected.Location);
        // Minimum necessary back to the source (ADR 0008): the status, not the receiver's free text.
        var seen = await psw.GetAsync($"/Referrals/{taskId}");
        Assert.Contains("<strong>rejected</strong>", seen.Html);
        Assert.DoesNotContain("No capacity this month", seen.Html);
    }

    [Fact]
    public async Task Intake_WorkerOpeningPswPages_IsDenied()
    {
        using var worker = console.NewClient();
        await worker.SignInAsync(ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        var page = await worker.GetAsync("/Referrals/New");
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/Account/Denied", new Uri(console.ConsoleAddress, page.Location!).PathAndQuery);
    }
}
