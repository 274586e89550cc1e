using ReferralExchange.Core.Audit;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// A template's audit record, read once with <see cref="AuditCanonicalForm.Read"/>; a clone's record
/// is the same interaction with its own ids, request id and time. Its chain position and hash are
/// then computed by <see cref="AuditCanonicalForm.Write"/> and <see cref="AuditChain.Hash"/>.
/// </summary>
public sealed class AuditRecordTemplate
{
    private readonly AuditRecord _record;
    private readonly TextTemplate? _patient;
    private readonly (TextTemplate Reference, IReadOnlyList<string> Labels, bool Hashed)[] _resources;
    private readonly TextTemplate _request;
    private readonly TextTemplate? _detail;
    private readonly TextTemplate? _consent;

    public AuditRecordTemplate(byte[] payload)
    {
        (_, _, _record) = AuditCanonicalForm.Read(payload);
        _patient = Parse(_record.PatientId);
        _resources = _record.Resources.Select(r => (TextTemplate.Parse(r.Reference), r.SecurityLabels, r.ContentHash is not null)).ToArray();
        _request = TextTemplate.Parse(_record.RequestId);
        _detail = Parse(_record.Detail);
        _consent = Parse(_record.ConsentReference);
    }

    /// <param name="hashes">The clone's versions and the hashes of their bytes: a resource the template's write covered is covered with the clone's hash.</param>
    public AuditRecord Render(CloneIdentity clone, IReadOnlyDictionary<string, string> hashes) => _record with
    {
        Recorded = _record.Recorded + clone.Shift,
        PatientId = _patient?.Render(clone),
        Resources = _resources.Select(r =>
        {
            var reference = r.Reference.Render(clone);
            return new AuditedResource(reference, r.Labels, r.Hashed ? hashes.GetValueOrDefault(reference) : null);
        }).ToList(),
        RequestId = _request.Render(clone),
        Detail = _detail?.Render(clone),
        ConsentReference = _consent?.Render(clone),
    };

    private static TextTemplate? Parse(string? text) => text is null ? null : TextTemplate.Parse(text);
}
