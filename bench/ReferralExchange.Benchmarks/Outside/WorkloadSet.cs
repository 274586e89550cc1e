using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Seeding;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>
/// The workloads of issue 11: the bare endpoint, a Task read by id and the inbox search as the
/// receiving partner, a referral submission as the police unit, and token issuance.
/// </summary>
public static class WorkloadSet
{
    public const string Bare = "bare mTLS GET (baseline)";
    public const string ReadById = "GET /fhir/Task/{id}";
    public const string InboxPrefix = "inbox 20/page";
    public const string Submit = "POST /referrals";
    public const string Token = "POST /connect/token";

    public static string Inbox(SeedManifest manifest) => $"{InboxPrefix} ({manifest.OpenInInbox:N0} open)";

    public static IReadOnlyList<Workload> Create(SeedManifest manifest, DevCertificateFiles certificates, string providerToken, string pswToken,
        TokenRequest providerTokenRequest)
    {
        Workload As(string name, bool bare, string partner, string method, string path, string? token, string? body = null, string? contentType = null, bool ids = false)
        {
            var headers = new List<(string, string)>();
            if (token is not null) headers.Add(("Authorization", $"Bearer {token}"));
            if (contentType is not null) headers.Add(("Content-Type", contentType));
            return new Workload(name, bare, method, path, headers, body, ids,
                certificates.ClientCertificatePath(partner), certificates.ClientKeyPath(partner), certificates.CaCertificatePath);
        }

        var provider = ReferralTemplates.Provider;
        // Submissions go to the housing agency, so bh-riverside's inbox keeps its seeded size during the run.
        var housing = ReferralTemplates.Closed.First(k => k.Recipient == ReferralTemplates.Housing);
        return
        [
            As(Bare, true, provider, "GET", "/fhir/Task", null),
            As(ReadById, false, provider, "GET", $"/fhir/Task/{manifest.ReadTaskId}", providerToken),
            As(Inbox(manifest), false, provider, "GET", $"/fhir/Task?owner={manifest.Inbox}&status=requested&_count=20", providerToken),
            As(Submit, false, ReferralTemplates.Psw, "POST", "/referrals", pswToken,
                ReferralTemplates.NativeBody("bench-[<id>]", housing, DateTimeOffset.UtcNow.AddMinutes(-5)), "application/json", ids: true),
            As(Token, false, provider, "POST", providerTokenRequest.Path, null, providerTokenRequest.EncodedForm(), "application/x-www-form-urlencoded"),
        ];
    }
}
