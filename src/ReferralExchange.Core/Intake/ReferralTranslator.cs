using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Routing;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Intake;

/// <summary>
/// Turns a validated native referral into FHIR R4 resources shaped by our profiles, following the
/// Gravity SDOH Clinical Care IG indirect-referral pattern: ServiceRequest (what is asked), Task
/// (the workflow at the receiving partner), Consent (the person's permission), Patient (minimum
/// necessary) and the referring worker's PractitionerRole.
/// </summary>
public sealed class ReferralTranslator(CategoryRouting routing)
{
    public ReferralResources Translate(NativeReferral referral, Partner requester,
        IReadOnlyDictionary<string, Partner> partners, DateTimeOffset now)
    {
        var categories = referral.Needs!.Select(n => n.Category!).Distinct().ToList();
        var patient = BuildPatient(referral.Person!, requester);
        var role = BuildPractitionerRole(referral.ReferringWorker!, requester);
        var consent = BuildConsent(referral.Consent!, patient, requester);
        var serviceRequest = BuildServiceRequest(referral, categories, patient, role, consent, requester, now);
        var task = BuildTask(serviceRequest, patient, requester, referral.Recipient, now);

        var candidates = referral.Recipient is null
            ? referral.Consent!.Recipients!
                .Where(id => partners.TryGetValue(id, out var p) && p.IsActive && routing.Serves(p.Kind, categories))
                .Distinct().ToList()
            : [];

        return new ReferralResources(
            NewId(), serviceRequest.Identifier[0].System ?? string.Empty, serviceRequest.Identifier[0].Value ?? string.Empty,
            requester.Id, referral.Recipient, candidates,
            patient, serviceRequest, consent, task, role);
    }

    public static string NewId() => Guid.CreateVersion7().ToString();

    private static Patient BuildPatient(NativePerson person, Partner requester)
    {
        var patient = new Patient { Id = NewId(), Meta = Profiled(FhirUris.PatientProfile) };
        if (!string.IsNullOrWhiteSpace(person.PersonId))
        {
            patient.Identifier.Add(new Identifier(FhirUris.PartnerIdentifierSystem(requester.Id, "person"), person.PersonId));
        }
        patient.Name.Add(new HumanName
        {
            Family = Blank(person.FamilyName),
            Given = person.GivenNames?.Where(g => !string.IsNullOrWhiteSpace(g)).ToList() ?? [],
        });
        patient.BirthDate = person.BirthDate;
        if (person.Gender is { } gender)
        {
            patient.Gender = Enum.Parse<AdministrativeGender>(gender, ignoreCase: true);
        }
        if (!string.IsNullOrWhiteSpace(person.Phone))
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, person.Phone));
        }
        if (!string.IsNullOrWhiteSpace(person.Email))
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, null, person.Email));
        }
        if (person.Address is { } a)
        {
            // Blank parts are left out: an empty string is not a FHIR value (R4 §2.6.2.1), and an
            // address with no part at all would break ele-1.
            var address = new Address
            {
                Line = a.Lines?.Where(l => !string.IsNullOrWhiteSpace(l)).ToList() ?? [],
                City = Blank(a.City),
                State = Blank(a.State),
                PostalCode = Blank(a.PostalCode),
            };
            if (address.Line.Any() || address.City is not null || address.State is not null || address.PostalCode is not null)
            {
                patient.Address.Add(address);
            }
        }
        return patient;
    }

    private static PractitionerRole BuildPractitionerRole(NativeWorker worker, Partner requester)
    {
        // The gateway trusts the organisation and records the person it names (docs/domain.md): the
        // worker appears by identifier and display, not as a separately managed Practitioner.
        var practitioner = new ResourceReference { Display = worker.Name };
        if (!string.IsNullOrWhiteSpace(worker.WorkerId))
        {
            practitioner.Identifier = new Identifier(FhirUris.PartnerIdentifierSystem(requester.Id, "worker"), worker.WorkerId);
        }
        var role = new PractitionerRole
        {
            Id = NewId(),
            Active = true,
            Practitioner = practitioner,
            Organization = new ResourceReference(requester.Reference) { Display = requester.Name },
        };
        role.Code.Add(new CodeableConcept(FhirUris.PartnerKind, PartnerKind.PoliceSocialWork.ToCode()));
        if (!string.IsNullOrWhiteSpace(worker.Phone))
            role.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, worker.Phone));
        if (!string.IsNullOrWhiteSpace(worker.Email))
            role.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Work, worker.Email));
        return role;
    }

    private static Consent BuildConsent(NativeConsent form, Patient patient, Partner requester)
    {
        var signedOn = FhirInstant.Parse(form.SignedOn!);
        var provision = new Consent.provisionComponent
        {
            Type = Consent.ConsentProvisionType.Permit,
            Period = new Period(new FhirDateTime(signedOn.UtcDateTime.ToString("yyyy-MM-dd")), new FhirDateTime(form.ExpiresOn!)),
        };
        foreach (var recipient in form.Recipients!.Distinct())
        {
            provision.Actor.Add(new Consent.provisionActorComponent
            {
                // IRCP: information recipient (v3-ParticipationType).
                Role = new CodeableConcept(FhirUris.ParticipationType, "IRCP"),
                Reference = new ResourceReference($"Organization/{recipient}"),
            });
        }
        provision.Purpose.AddRange(form.Purposes!.Distinct().Select(p => new Coding(FhirUris.ActReason, p)));
        provision.Class.AddRange(form.DataClasses!.Distinct().Select(c => new Coding(FhirUris.DataClass, c)));
        provision.SecurityLabel.AddRange(form.DataClasses!.SelectMany(SensitivityLabels.For).Distinct()
            .Select(code => new Coding(FhirUris.ActCode, code)));

        var consent = new Consent
        {
            Id = NewId(),
            Meta = Profiled(FhirUris.ConsentProfile),
            Status = Consent.ConsentState.Active,
            Scope = new CodeableConcept(FhirUris.ConsentScope, "patient-privacy"),
            Patient = new ResourceReference($"Patient/{patient.Id}"),
            DateTime = signedOn.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"),
            Source = new Attachment { Url = form.FormReference, Title = "Signed consent form" },
            PolicyRule = new CodeableConcept(FhirUris.ActCode, "OPTIN"),
            Provision = provision,
        };
        consent.Category.Add(new CodeableConcept(FhirUris.ActCode, "IDSCL"));
        if (form.IrrevocableUntil is { } until)
        {
            consent.Extension.Add(new Extension(Privacy.ConsentPolicyReader.IrrevocableUntilUrl, new FhirDateTime(until)));
        }
        consent.Organization.Add(new ResourceReference(requester.Reference));
        return consent;
    }

    private ServiceRequest BuildServiceRequest(NativeReferral referral, IReadOnlyList<string> categories, Patient patient,
        PractitionerRole role, Consent consent, Partner requester, DateTimeOffset now)
    {
        var sr = new ServiceRequest
        {
            Id = NewId(),
            Meta = Profiled(FhirUris.ServiceRequestProfile),
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Priority = Enum.Parse<RequestPriority>(referral.Urgency!, ignoreCase: true),
            Code = new CodeableConcept(FhirUris.ReferralService, routing.ServiceFor(categories)),
            Subject = new ResourceReference($"Patient/{patient.Id}"),
            AuthoredOn = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"),
            Requester = new ResourceReference($"PractitionerRole/{role.Id}"),
        };
        sr.Identifier.Add(new Identifier(FhirUris.PartnerIdentifierSystem(requester.Id, "referral"), referral.ReferralId));
        sr.Category.AddRange(categories.Select(c => new CodeableConcept(FhirUris.ReferralCategory, c)));
        if (referral.Recipient is not null)
        {
            sr.Performer.Add(new ResourceReference($"Organization/{referral.Recipient}"));
        }
        sr.SupportingInfo.Add(new ResourceReference($"Consent/{consent.Id}"));
        if (referral.DoNotContact == true)
        {
            sr.OrderDetail.Add(new CodeableConcept(FhirUris.SdohTemporaryCodes, "contacting-subject-prohibited", "Contacting subject prohibited"));
        }
        foreach (var need in referral.Needs!.Where(n => !string.IsNullOrWhiteSpace(n.Description)))
        {
            sr.ReasonCode.Add(new CodeableConcept(FhirUris.ReferralCategory, need.Category, need.Description));
        }
        AddNote(sr, referral.Narrative);
        AddNote(sr, referral.SafeContactInstructions is { } safe ? $"Safe contact: {safe}" : null);
        if (referral.Veteran == true)
        {
            AddNote(sr, "The person reports veteran status.");
        }
        return sr;
    }

    private static FhirTask BuildTask(ServiceRequest sr, Patient patient, Partner requester, string? recipient, DateTimeOffset now)
    {
        var stamp = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ");
        var task = new FhirTask
        {
            Id = NewId(),
            Meta = Profiled(FhirUris.TaskProfile),
            Status = FhirTask.TaskStatus.Requested,
            Intent = FhirTask.TaskIntent.Order,
            Priority = sr.Priority,
            Code = new CodeableConcept(FhirUris.TaskCode, "fulfill"),
            Focus = new ResourceReference($"ServiceRequest/{sr.Id}"),
            For = new ResourceReference($"Patient/{patient.Id}"),
            AuthoredOn = stamp,
            LastModified = stamp,
            Requester = new ResourceReference(requester.Reference),
            Owner = recipient is null ? null : new ResourceReference($"Organization/{recipient}"),
        };
        return task;
    }

    private static void AddNote(ServiceRequest sr, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            sr.Note.Add(new Annotation { Text = new Markdown(text) });
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static Meta Profiled(string profile) => new() { Profile = [profile] };
}
