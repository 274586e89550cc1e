using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

/// <summary>
/// Revocation (docs/domain.md "Consent rules"): at once on every exit, open Tasks cancelled with the
/// reason, only by the source or the operator, never inside a 42 CFR §2.35 irrevocable window.
/// </summary>
public abstract class ConsentRevocationSpec(GatewayFixture gateway) : ConsentScenarioBase(gateway)
{
    [Fact]
    public async Task Revocation_ThenReadVreadHistorySearchAndInclude_AllRefused()
    {
        var referral = await SubmitAsync(Permit());
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "ServiceRequest", referral));
        await RevokeAsync(Psw, referral, HttpStatusCode.OK);

        using var provider = Gateway.ClientFor(Bh);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/fhir/ServiceRequest/{referral.ServiceRequestId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/fhir/Patient/{referral.PatientId}/_history/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/fhir/Task/{referral.TaskId}/_history")).StatusCode);
        var search = await (await provider.GetAsync($"/fhir/Task?patient=Patient/{referral.PatientId}&_include=Task:focus")).JsonAsync();
        Assert.Equal(0, search["total"]!.GetValue<int>());
        Assert.DoesNotContain(referral.TaskId, search.ToJsonString());
        Assert.DoesNotContain(referral.ServiceRequestId, search.ToJsonString());
    }

    [Fact]
    public async Task Revocation_HidesTheReferralFromLaterPagesAndTotals()
    {
        using var provider = Gateway.ClientFor(Bh);
        var first = await SubmitAsync(Permit());
        var second = await SubmitAsync(Permit());
        // Several pages: the total is counted only when asked for (_total=accurate, FHIR R4 §3.1.1.5.7).
        var before = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{Bh}&_count=1&_total=accurate")).JsonAsync();
        await RevokeAsync(Psw, first, HttpStatusCode.OK);

        var pages = new List<JsonObject>();
        string? next = $"/fhir/Task?owner=Organization/{Bh}&_count=1&_total=accurate";
        while (next is not null && pages.Count < 500)
        {
            var page = await (await provider.GetAsync(next)).JsonAsync();
            pages.Add(page);
            next = page["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next")?["url"]!.GetValue<string>();
        }

        Assert.Equal(before["total"]!.GetValue<int>() - 1, pages[0]["total"]!.GetValue<int>());
        Assert.All(pages, p => Assert.DoesNotContain(first.TaskId, p.ToJsonString()));
        Assert.Contains(pages, p => p.ToJsonString().Contains(second.TaskId));
    }

    [Fact]
    public async Task Revocation_TheSourceSeesTheTaskCancelledAndWhy()
    {
        // The source learns why from the coded reason: minimum necessary never sends it reason text.
        var referral = await SubmitAsync(Permit());
        await RevokeAsync(Psw, referral, HttpStatusCode.OK);
        var task = await ReadJsonAsync(Psw, "Task", referral);
        Assert.Equal("cancelled", task["status"]!.GetValue<string>());
        var reason = task["statusReason"]!["coding"]!.AsArray().Single()!;
        Assert.Equal("https://referral-exchange.example/fhir/CodeSystem/task-status-reason", reason["system"]!.GetValue<string>());
        Assert.Equal("consent-revoked", reason["code"]!.GetValue<string>());
        Assert.Equal("Consent revoked", reason["display"]!.GetValue<string>());
        Assert.Equal("consent-revoked", task["businessStatus"]!["coding"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revocation_ByTheReceivingPartner_IsForbidden() =>
        await RevokeAsync(Bh, await SubmitAsync(Permit()), HttpStatusCode.Forbidden);

    [Fact]
    public async Task Revocation_ByAPartnerWithoutTheConsentUpdateScope_IsForbidden() =>
        await RevokeAsync(Housing, await SubmitAsync(Permit()), HttpStatusCode.Forbidden);

    [Fact]
    public async Task Revocation_ByTheOperatorOnThePersonsBehalf_Works()
    {
        var referral = await SubmitAsync(Permit());
        await RevokeAsync(GatewayFixture.Operator, referral, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", referral));
    }

    [Fact]
    public async Task Revocation_DuringAnIrrevocableWindow_IsRefusedAndDataStillFlows()
    {
        var referral = await SubmitAsync(Permit() with { IrrevocableUntil = "2027-06-30" });
        await RevokeAsync(Psw, referral, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "Task", referral));
    }

    [Fact]
    public async Task Revocation_AfterTheIrrevocableWindow_Works()
    {
        var referral = await SubmitAsync(Permit() with { IrrevocableUntil = "2026-02-01" });
        await RevokeAsync(Psw, referral, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", referral));
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class ConsentRevocationTests(GatewayFixture gateway) : ConsentRevocationSpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class ConsentRevocationTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : ConsentRevocationSpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
