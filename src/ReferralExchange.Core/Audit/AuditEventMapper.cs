using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// Presents an audit record as a FHIR R4 AuditEvent in the shape of IHE Basic Audit Log Patterns:
/// REST interactions typed <c>rest</c> with a restful-interaction subtype, queries typed DICOM
/// 110112, the partner as requesting agent (with its certificate thumbprint and purpose of use),
/// the person it named as a second agent, the patient and each resource as entities.
/// </summary>
public static class AuditEventMapper
{
    private const string RestfulInteraction = "http://hl7.org/fhir/restful-interaction";
    private const string AuditEventType = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    private const string OwnActions = FhirUris.Base + "/CodeSystem/audit-action";
    private static readonly HashSet<string> RestActions = ["create", "read", "vread", "update", "search-type", "history-instance", "transaction"];

    public static AuditEvent ToAuditEvent(long sequence, AuditRecord record)
    {
        var isQuery = record.Action == AuditActions.Search;
        var audit = new AuditEvent
        {
            Id = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Meta = new Meta { VersionId = "1", LastUpdated = record.Recorded },
            Type = isQuery ? new Coding(Dicom, "110112", "Query") : new Coding(AuditEventType, "rest", "RESTful Operation"),
            Action = ActionCode(record.Action),
            Recorded = record.Recorded,
            Outcome = record.Outcome switch
            {
                AuditOutcome.Success => AuditEvent.AuditEventOutcome.N0,
                AuditOutcome.MinorFailure => AuditEvent.AuditEventOutcome.N4,
                AuditOutcome.SeriousFailure => AuditEvent.AuditEventOutcome.N8,
                _ => AuditEvent.AuditEventOutcome.N12,
            },
            OutcomeDesc = record.Outcome == AuditOutcome.Success ? null : record.Detail,
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Display = "Referral Exchange gateway" },
            },
        };
        audit.Subtype.Add(RestActions.Contains(record.Action)
            ? new Coding(RestfulInteraction, record.Action)
            : new Coding(OwnActions, record.Action));

        var requestor = new AuditEvent.AgentComponent
        {
            Who = new ResourceReference($"Organization/{record.PartnerId}"),
            // A signed-in person is the requestor; their organisation is the agent they act for (IHE BALP).
            Requestor = record.SignedInUser is null,
            AltId = record.CertificateThumbprint,
        };
        if (record.SourceAddress is { } address)
        {
            requestor.Network = new AuditEvent.NetworkComponent { Address = address, Type = address.Contains(':') ? AuditEvent.AuditEventAgentNetworkType.N3 : AuditEvent.AuditEventAgentNetworkType.N2 };
        }
        if (record.PurposeOfUse is { } purpose)
        {
            requestor.PurposeOfUse.Add(new CodeableConcept(FhirUris.ActReason, purpose));
        }
        audit.Agent.Add(requestor);
        if (record.SignedInUser is { } user)
        {
            // IHE BALP user agent: type humanuser, the authenticated account as identifier, requestor true.
            var person = new AuditEvent.AgentComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user"),
                Who = new ResourceReference { Identifier = new Identifier(FhirUris.Base + "/console-user", user), Display = record.PersonName },
                Requestor = true,
                Network = requestor.Network,
            };
            person.PurposeOfUse.AddRange(requestor.PurposeOfUse);
            audit.Agent.Add(person);
        }
        else if (record.PersonName is { } person)
        {
            audit.Agent.Add(new AuditEvent.AgentComponent { Who = new ResourceReference { Display = person }, Requestor = false });
        }

        if (record.PatientId is { } patient)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{patient}"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            });
        }
        foreach (var resource in record.Resources)
        {
            var entity = new AuditEvent.EntityComponent { What = new ResourceReference(resource.Reference) };
            entity.SecurityLabel.AddRange(resource.SecurityLabels.Select(l => new Coding(LabelSystem(l), l)));
            audit.Entity.Add(entity);
        }
        if (record.ConsentReference is { } consent)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent { What = new ResourceReference(consent), Description = "Consent used for the decision" });
        }
        var request = new AuditEvent.EntityComponent
        {
            What = new ResourceReference { Identifier = new Identifier { Type = new CodeableConcept(FhirUris.Base + "/CodeSystem/audit-entity", "request-id"), Value = record.RequestId } },
            Description = isQuery ? record.Detail : null,
        };
        audit.Entity.Add(request);
        return audit;
    }

    private static AuditEvent.AuditEventAction ActionCode(string action) => action switch
    {
        AuditActions.Create or AuditActions.Transaction => AuditEvent.AuditEventAction.C,
        AuditActions.Read or AuditActions.VRead or AuditActions.History or AuditActions.AuditRead or AuditActions.Disclosure => AuditEvent.AuditEventAction.R,
        AuditActions.Update => AuditEvent.AuditEventAction.U,
        _ => AuditEvent.AuditEventAction.E,
    };

    private static string LabelSystem(string code) => code is "N" or "R" or "V" or "U" or "L" or "M" ? FhirUris.Confidentiality : FhirUris.ActCode;
}
