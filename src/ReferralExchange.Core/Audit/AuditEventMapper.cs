using System.Text;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit.Balp;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// Presents an audit record as a FHIR R4 AuditEvent in the shape of IHE Basic Audit Log Patterns
/// (BALP 1.1 Create, Read, Update, Query and their Patient variants; <see cref="BalpProfile"/>):
/// type <c>rest</c> with a restful-interaction subtype; the partner's system as agent[client] with
/// its network address, the gateway as agent[server] (a Device, with its FHIR base as network
/// address), the person the partner named as agent[user] (requestor; without one the client is the
/// requestor: SMART Backend Services has no user); <c>source</c> observed by the gateway Device, an
/// application server; entities typed and given a role: the resource (System Object, Domain
/// Resource), the patient (Person, Patient), the query (Query, with <c>entity.query</c> in base64)
/// and the request id (BALP XrequestId). <c>meta.profile</c> names the BALP profile the event
/// conforms to, and only then. The stored record is not changed; this is a view of it.
/// </summary>
public static class AuditEventMapper
{
    private const string RestfulInteraction = "http://hl7.org/fhir/restful-interaction";
    private const string AuditEventType = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private const string OwnActions = FhirUris.Base + "/CodeSystem/audit-action";
    private static readonly HashSet<string> RestActions = ["create", "read", "vread", "update", "search-type", "history-instance", "transaction"];

    public static AuditEvent ToAuditEvent(long sequence, AuditRecord record, AuditServer server)
    {
        var kind = BalpProfile.KindOf(record);
        var audit = new AuditEvent
        {
            Id = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Meta = new Meta { VersionId = "1", LastUpdated = record.Recorded },
            Type = new Coding(AuditEventType, "rest", "Restful Operation"),
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
                Site = server.Site,
                Observer = GatewayDevice(server),
                Type = [BalpCodes.ApplicationServer],
            },
        };
        if (BalpProfile.UrlFor(kind, record.PatientId is not null) is { } profile)
        {
            audit.Meta.Profile = [profile];
        }
        audit.Subtype.Add(RestActions.Contains(record.Action) ? new Coding(RestfulInteraction, record.Action) : new Coding(OwnActions, record.Action));
        if (record.Action == AuditActions.Transaction)
        {
            // BALP Create's subtype slice: the transaction created what it stored.
            audit.Subtype.Add(new Coding(RestfulInteraction, "create"));
        }
        AddAgents(audit, record, server);
        AddEntities(audit, record);
        return audit;
    }

    private static void AddAgents(AuditEvent audit, AuditRecord record, AuditServer server)
    {
        // BALP Read: data flows to the client, which is the destination; otherwise the request's
        // source is the client (BALP Query's note: the DICOM/IHE pattern, followed as established).
        var clientIsDestination = audit.Action == AuditEvent.AuditEventAction.R;
        var hasUser = record.PersonName is not null || record.SignedInUser is not null;
        var client = new AuditEvent.AgentComponent
        {
            Type = new CodeableConcept { Coding = [clientIsDestination ? BalpCodes.DestinationRole : BalpCodes.SourceRole] },
            Who = new ResourceReference($"Organization/{record.PartnerId}") { Identifier = new Identifier(FhirUris.Base + "/partner-id", record.PartnerId) },
            AltId = record.CertificateThumbprint,
            Requestor = !hasUser,
        };
        if (record.SourceAddress is { } address)
        {
            client.Network = new AuditEvent.NetworkComponent { Address = address, Type = AuditEvent.AuditEventAgentNetworkType.N2 };
        }
        var gateway = new AuditEvent.AgentComponent
        {
            Type = new CodeableConcept { Coding = [clientIsDestination ? BalpCodes.SourceRole : BalpCodes.DestinationRole] },
            Who = GatewayDevice(server),
            Requestor = false,
            Network = new AuditEvent.NetworkComponent { Address = server.FhirBase, Type = AuditEvent.AuditEventAgentNetworkType.N5 },
        };
        audit.Agent.Add(client);
        audit.Agent.Add(gateway);
        var requestor = client;
        if (hasUser)
        {
            // BALP agent[user]: who, requestor true, no network (users are not network devices);
            // the organization stays the client agent above, requestor false. A person signed in
            // to the console is a human user (security role type humanuser) named by their account.
            var participation = new Coding[] { audit.Action is AuditEvent.AuditEventAction.C or AuditEvent.AuditEventAction.U ? BalpCodes.Author : BalpCodes.InformationRecipient };
            var user = record.SignedInUser;
            requestor = new AuditEvent.AgentComponent
            {
                Type = user is null ? new CodeableConcept { Coding = [.. participation] } : new CodeableConcept(FhirUris.SecurityRoleType, "humanuser", "human user"),
                Role = user is null ? [] : [new CodeableConcept { Coding = [.. participation] }],
                Who = new ResourceReference { Identifier = user is null ? null : new Identifier(FhirUris.Base + "/console-user", user), Display = record.PersonName },
                Name = record.PersonName ?? user,
                Requestor = true,
            };
            audit.Agent.Add(requestor);
        }
        if (record.PurposeOfUse is { } purpose)
        {
            requestor.PurposeOfUse.Add(new CodeableConcept(FhirUris.ActReason, purpose));
        }
    }

    private static void AddEntities(AuditEvent audit, AuditRecord record)
    {
        if (record.PatientId is { } patient)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent { What = new ResourceReference($"Patient/{patient}"), Type = BalpCodes.Person, Role = BalpCodes.PatientRole });
        }
        if (record.Action == AuditActions.Search)
        {
            // BALP Query: the query in entity.query (base64), its cleaned form in description; the
            // results are not entities ("the content of the results are not recorded"), their labels are.
            // The record keeps the query as the gateway applied it (unknown parameters, ignored by default,
            // are left out), so entity.query holds the cleaned query, not BALP's raw request.
            var query = new AuditEvent.EntityComponent
            {
                Type = BalpCodes.SystemObject,
                Role = BalpCodes.QueryRole,
                Query = record.Detail is { } detail ? Encoding.UTF8.GetBytes(detail) : null,
                Description = record.Detail,
            };
            query.SecurityLabel.AddRange(record.Resources.SelectMany(r => r.SecurityLabels).Distinct().Select(Label));
            audit.Entity.Add(query);
        }
        else
        {
            foreach (var resource in record.Resources)
            {
                var entity = new AuditEvent.EntityComponent { What = new ResourceReference(resource.Reference), Type = BalpCodes.SystemObject, Role = BalpCodes.DomainResourceRole };
                entity.SecurityLabel.AddRange(resource.SecurityLabels.Select(Label));
                audit.Entity.Add(entity);
            }
        }
        if (record.ConsentReference is { } consent)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent { What = new ResourceReference(consent), Type = BalpCodes.SystemObject, Role = BalpCodes.DomainResourceRole, Description = "Consent used for the decision" });
        }
        audit.Entity.Add(new AuditEvent.EntityComponent
        {
            Type = BalpCodes.RequestId,
            What = new ResourceReference { Identifier = new Identifier { Value = record.RequestId } },
        });
    }

    private static ResourceReference GatewayDevice(AuditServer server) => new(server.DeviceReference) { Display = "Referral Exchange gateway" };

    private static AuditEvent.AuditEventAction ActionCode(string action) => action switch
    {
        AuditActions.Create or AuditActions.Transaction => AuditEvent.AuditEventAction.C,
        AuditActions.Read or AuditActions.VRead or AuditActions.History or AuditActions.AuditRead or AuditActions.Disclosure => AuditEvent.AuditEventAction.R,
        AuditActions.Update => AuditEvent.AuditEventAction.U,
        _ => AuditEvent.AuditEventAction.E,
    };

    private static Coding Label(string code) => new(code is "N" or "R" or "V" or "U" or "L" or "M" ? FhirUris.Confidentiality : FhirUris.ActCode, code);
}
