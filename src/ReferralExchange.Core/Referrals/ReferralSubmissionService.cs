using System.Text.Json;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Referrals;

/// <summary>
/// Referral intake: native JSON or a FHIR transaction in, validated FHIR stored in one
/// transaction, a transaction-response out. Submissions are idempotent per sender and referral
/// identifier (and honour If-None-Exist): a repeat answers with the first result and stores nothing.
/// </summary>
public sealed class ReferralSubmissionService(
    IPartnerDirectory directory,
    IReferralStore store,
    ProfileValidator validator,
    NativeReferralValidator nativeValidator,
    ReferralTranslator translator,
    TransactionBundleReader bundleReader,
    SecurityLabeler labeler,
    IAuditTrail audit,
    TimeProvider time)
{
    public async Task<SubmissionResult> SubmitNativeAsync(Caller caller, NativeReferral referral, string? ifNoneExist, string baseUrl, CancellationToken ct)
    {
        var requester = caller.Partner;
        EnsureReferralSource(requester);
        var partners = await PartnersAsync(ct);
        var issues = nativeValidator.Validate(referral, partners);
        if (issues.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable, issues);
        }

        var replay = await FindEarlierAsync(requester, ifNoneExist, "If-None-Exist", ct)
            ?? await store.FindResponseAsync(requester.Id, FhirUris.PartnerIdentifierSystem(requester.Id, "referral"), referral.ReferralId!, ct);
        if (replay is not null)
        {
            return await ReplayAsync(caller, AuditActions.Create, replay, ct);
        }

        var resources = translator.Translate(referral, requester, partners, time.GetUtcNow());
        return await StoreAsync(caller with { PersonName = caller.PersonName ?? referral.ReferringWorker?.Name }, AuditActions.Create, resources, baseUrl, ct);
    }

    public async Task<SubmissionResult> SubmitTransactionAsync(Caller caller, Bundle bundle, string? ifNoneExist, string baseUrl, CancellationToken ct)
    {
        var requester = caller.Partner;
        EnsureReferralSource(requester);
        var partners = await PartnersAsync(ct);
        var (resources, entryCondition) = bundleReader.Read(bundle, requester, partners, time.GetUtcNow());

        var replay = await FindEarlierAsync(requester, ifNoneExist, "If-None-Exist", ct)
            ?? await FindEarlierAsync(requester, entryCondition, "Bundle.entry.request.ifNoneExist", ct)
            ?? await store.FindResponseAsync(requester.Id, resources.IdentifierSystem, resources.IdentifierValue, ct);
        if (replay is not null)
        {
            return await ReplayAsync(caller, AuditActions.Transaction, replay, ct);
        }
        return await StoreAsync(caller with { PersonName = caller.PersonName ?? resources.PractitionerRole?.Practitioner?.Display }, AuditActions.Transaction, resources, baseUrl, ct);
    }

    private async Task<SubmissionResult> StoreAsync(Caller caller, string action, ReferralResources resources, string baseUrl, CancellationToken ct)
    {
        // Millisecond precision: the response's lastModified must equal the stored meta.lastUpdated.
        var clock = time.GetUtcNow();
        var now = new DateTimeOffset(clock.UtcTicks - clock.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        labeler.Label(resources);
        // Everything the gateway emits is checked against our profiles before it is stored.
        await validator.EnsureValidAsync(resources.All(), ct);
        var response = TransactionResponseBuilder.Build(resources, now, baseUrl);
        var record = AuditRecord.For(caller, action, AuditOutcome.Success, now);
        var outcome = await store.SaveAsync(resources, FhirJson.Serialize(response), now, record, ct);
        return outcome.Created
            ? new SubmissionResult(true, response, $"Task/{resources.Task.Id}")
            : await ReplayAsync(caller, action, outcome.ResponseJson, ct);
    }

    private async Task<string?> FindEarlierAsync(Partner requester, string? criteria, string expression, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(criteria))
        {
            return null;
        }
        var condition = IfNoneExistCondition.Parse(criteria, expression);
        return await store.FindResponseAsync(requester.Id, condition.System, condition.Value, ct);
    }

    /// <summary>A repeat answers with the first result; the repeat itself is still recorded.</summary>
    private async Task<SubmissionResult> ReplayAsync(Caller caller, string action, string responseJson, CancellationToken ct)
    {
        var bundle = (Bundle)FhirJson.ParseStored(responseJson);
        var locations = bundle.Entry.Select(e => e.Response?.Location).OfType<string>().ToList();
        var patient = locations.FirstOrDefault(l => l.StartsWith("Patient/", StringComparison.Ordinal));
        await audit.RecordAsync(AuditRecord.For(caller, action, AuditOutcome.Success, time.GetUtcNow()) with
        {
            PatientId = patient?.Split('/')[1],
            Resources = locations.Select(l => new AuditedResource(l, [])).ToList(),
            Detail = "repeat of an earlier submission: first answer replayed, nothing stored",
        }, ct);
        var task = locations.FirstOrDefault(l => l.StartsWith("Task/", StringComparison.Ordinal));
        var location = task is null ? string.Empty : string.Join('/', task.Split('/').Take(2));
        return new SubmissionResult(false, bundle, location);
    }

    private static void EnsureReferralSource(Partner requester)
    {
        if (!requester.Kind.IsReferralSource())
        {
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Only a referral source (police social work unit) may submit referrals");
        }
    }

    private async Task<IReadOnlyDictionary<string, Partner>> PartnersAsync(CancellationToken ct) =>
        (await directory.ListAsync(ct)).ToDictionary(p => p.Id);
}
