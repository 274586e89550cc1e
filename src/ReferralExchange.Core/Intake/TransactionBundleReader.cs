using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Routing;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Intake;

/// <summary>
/// Reads a FHIR <c>transaction</c> Bundle that carries one referral (Patient, ServiceRequest,
/// Consent, Task and optionally the requester's PractitionerRole), assigns server ids, rewrites
/// references (FHIR R4 §3.1.0.11.2) and checks that the pieces belong together and to the sender.
/// </summary>
public sealed class TransactionBundleReader(CategoryRouting routing)
{
    private static readonly HashSet<string> Allowed = ["Patient", "ServiceRequest", "Consent", "Task", "PractitionerRole"];

    public (ReferralResources Referral, string? IfNoneExist) Read(Bundle bundle, Partner requester,
        IReadOnlyDictionary<string, Partner> partners, DateTimeOffset now)
    {
        if (bundle.Type != Bundle.BundleType.Transaction)
        {
            throw GatewayException.BadRequest("Bundle.type must be transaction", "Bundle.type");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var byType = new Dictionary<string, Resource>();
        var consents = new List<Consent>();
        string? ifNoneExist = null;
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var at = $"Bundle.entry[{i}]";
            if (entry.Resource is not { } resource)
                throw GatewayException.Invalid("every entry must carry a resource", $"{at}.resource");
            if (entry.Request?.Method != Bundle.HTTPVerb.POST)
                throw GatewayException.Invalid("only POST (create) entries are accepted in a referral transaction", $"{at}.request.method");
            if (!Allowed.Contains(resource.TypeName))
                throw GatewayException.Invalid($"a referral transaction carries Patient, ServiceRequest, Consent, Task and PractitionerRole, not {resource.TypeName}", $"{at}.resource");
            if (resource is Consent extra && byType.ContainsKey("Consent"))
                consents.Add(extra);
            else if (!byType.TryAdd(resource.TypeName, resource))
                throw GatewayException.Invalid($"a referral transaction carries one {resource.TypeName}", $"{at}.resource");
            if (resource is ServiceRequest && entry.Request.IfNoneExist is { } condition)
                ifNoneExist = condition;

            var newId = ReferralTranslator.NewId();
            if (entry.FullUrl is { } fullUrl)
                map[fullUrl] = $"{resource.TypeName}/{newId}";
            if (resource.Id is { } clientId)
                map[$"{resource.TypeName}/{clientId}"] = $"{resource.TypeName}/{newId}";
            resource.Id = newId;
        }

        var patient = Require<Patient>(byType);
        var sr = Require<ServiceRequest>(byType);
        var consent = Require<Consent>(byType);
        var task = Require<FhirTask>(byType);
        var role = byType.GetValueOrDefault("PractitionerRole") as PractitionerRole;
        foreach (var resource in byType.Values.Concat(consents))
        {
            ReferenceRewriter.Rewrite(resource, map);
        }

        var patientRef = $"Patient/{patient.Id}";
        Expect(sr.Subject?.Reference == patientRef, "ServiceRequest.subject must reference the Patient in the bundle", "ServiceRequest.subject");
        Expect(task.For?.Reference == patientRef, "Task.for must reference the Patient in the bundle", "Task.for");
        foreach (var c in consents.Prepend(consent))
        {
            Expect(c.Patient?.Reference == patientRef, "Consent.patient must reference the Patient in the bundle", "Consent.patient");
            SetProfile(c, FhirUris.ConsentProfile);
        }
        Expect(task.Focus?.Reference == $"ServiceRequest/{sr.Id}", "Task.focus must reference the ServiceRequest in the bundle", "Task.focus");
        Expect(sr.SupportingInfo.Any(s => s.Reference == $"Consent/{consent.Id}"), "ServiceRequest.supportingInfo must reference the Consent in the bundle", "ServiceRequest.supportingInfo");
        EnsureRequester(sr, task, role, requester);

        var recipientId = RecipientOf(sr, task);
        var categories = sr.Category.SelectMany(c => c.Coding).Where(c => c.System == FhirUris.ReferralCategory && c.Code is not null).Select(c => c.Code!).ToList();
        // Recipients are the IRCP actors of permit provisions: a deny's actors are not invited in.
        var consentRecipients = consents.Prepend(consent)
            .Where(c => c.Provision?.Type != Consent.ConsentProvisionType.Deny)
            .SelectMany(c => c.Provision?.Actor ?? [])
            .Where(a => a.Role?.Coding.Any(c => c.Code == "IRCP") == true)
            .Select(a => a.Reference?.Reference)
            .Where(r => r?.StartsWith("Organization/", StringComparison.Ordinal) == true)
            .Select(r => r!["Organization/".Length..])
            .ToList();
        if (recipientId is not null)
        {
            if (!partners.TryGetValue(recipientId, out var recipient) || !recipient.IsActive)
                throw new GatewayException(ErrorKind.Unprocessable, "not-found", "the performer is not a registered, active partner", "ServiceRequest.performer");
            if (!routing.Serves(recipient.Kind, categories))
                throw GatewayException.Invalid("the performer does not serve any of the referral's categories", "ServiceRequest.performer");
            if (!consentRecipients.Contains(recipientId))
                throw GatewayException.Invalid("the consent does not name the referral's performer as a recipient", "Consent.provision.actor");
        }
        if (task.Status is not (FhirTask.TaskStatus.Requested or FhirTask.TaskStatus.Draft))
            throw GatewayException.Invalid("a new referral's Task is requested (or draft)", "Task.status");

        // Free text outside the labelled elements could carry any need to any recipient: a new
        // referral's Task carries none, and the ServiceRequest's narrative text goes into a note,
        // where the labels of the referral's needs apply.
        if (!string.IsNullOrEmpty(task.Description) || task.Note.Count > 0 || task.Input.Count > 0)
            throw GatewayException.Invalid("A new referral's Task carries no free text (description, note, input); put it in ServiceRequest.note", "Task.note");
        if (!string.IsNullOrWhiteSpace(sr.PatientInstruction))
            sr.Note.Add(new Annotation { Text = new Markdown(sr.PatientInstruction) });
        sr.PatientInstruction = null;
        sr.Text = null;
        if (sr.Code is not null)
            sr.Code.Text = null;

        // The gateway owns the workflow clock and the profile claims.
        var stamp = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ");
        task.AuthoredOn = stamp;
        task.LastModified = stamp;
        sr.AuthoredOn ??= stamp;
        SetProfile(patient, FhirUris.PatientProfile);
        SetProfile(sr, FhirUris.ServiceRequestProfile);
        SetProfile(consent, FhirUris.ConsentProfile);
        SetProfile(task, FhirUris.TaskProfile);

        var identifier = sr.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value))
            ?? throw new GatewayException(ErrorKind.Unprocessable, "required", "ServiceRequest.identifier with system and value is required", "ServiceRequest.identifier");

        var candidates = recipientId is null
            ? consentRecipients.Where(id => partners.TryGetValue(id, out var p) && p.IsActive && routing.Serves(p.Kind, categories)).Distinct().ToList()
            : [];

        var referral = new ReferralResources(ReferralTranslator.NewId(), identifier.System ?? string.Empty, identifier.Value ?? string.Empty, requester.Id,
            recipientId, candidates, patient, sr, consent, task, role) { OtherConsents = consents };
        return (referral, ifNoneExist);
    }

    private static string? RecipientOf(ServiceRequest sr, FhirTask task)
    {
        if (sr.Performer.Count > 1)
            throw GatewayException.Invalid("a referral has one performer", "ServiceRequest.performer");
        var performer = sr.Performer.FirstOrDefault()?.Reference;
        var owner = task.Owner?.Reference;
        Expect(performer == owner, "Task.owner must be the ServiceRequest's performer (both absent for an open referral)", "Task.owner");
        if (owner is null)
            return null;
        Expect(owner.StartsWith("Organization/", StringComparison.Ordinal), "Task.owner must reference an Organization", "Task.owner");
        return owner["Organization/".Length..];
    }

    private static void EnsureRequester(ServiceRequest sr, FhirTask task, PractitionerRole? role, Partner requester)
    {
        // The sender can only refer on its own behalf: the organisation proven by its certificate.
        Expect(task.Requester?.Reference == requester.Reference, "Task.requester must be the sending organization", "Task.requester");
        var srRequester = sr.Requester?.Reference;
        if (role is not null && srRequester == $"PractitionerRole/{role.Id}")
        {
            Expect(role.Organization?.Reference == requester.Reference, "PractitionerRole.organization must be the sending organization", "PractitionerRole.organization");
            return;
        }
        Expect(srRequester == requester.Reference, "ServiceRequest.requester must be the sending organization or a PractitionerRole of it in the bundle", "ServiceRequest.requester");
    }

    private static T Require<T>(Dictionary<string, Resource> byType) where T : Resource
    {
        var name = typeof(T) == typeof(FhirTask) ? "Task" : typeof(T).Name;
        return byType.GetValueOrDefault(name) as T
            ?? throw new GatewayException(ErrorKind.Unprocessable, "required", $"a referral transaction must carry a {name}", "Bundle.entry");
    }

    private static void Expect(bool condition, string message, string expression)
    {
        if (!condition)
            throw GatewayException.Invalid(message, expression);
    }

    private static void SetProfile(Resource resource, string profile)
    {
        resource.Meta ??= new Meta();
        resource.Meta.Profile = [profile];
    }
}
