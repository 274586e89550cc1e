using System.Globalization;
using System.Text.Json;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// The canonical serialisation that is hashed into the chain: UTF-8 JSON, no whitespace, a fixed
/// property order, invariant formats, the record's chain position and its predecessor's hash
/// included. Same record, same bytes, on every platform and in every version that keeps this file.
/// Version 2 (ADR 0012) adds, to a resource a write stored, <c>"sha256"</c>: its content hash.
/// Nothing else changed, and a record is hashed as stored, never re-serialised, so version 1
/// records still verify and still read (their resources have no hash).
/// Version 3 (ADR 0022) adds <c>"user"</c>: the signed-in console account. Only records that have
/// one are written as version 3; every other record keeps its version 2 bytes.
/// </summary>
public static class AuditCanonicalForm
{
    public const int Version = 3;

    public static byte[] Write(long sequence, string previousHash, AuditRecord record)
    {
        using var writer = Fhir.ReusableJsonWriter.Rent();
        var json = writer.Json;
        json.WriteStartObject();
        json.WriteNumber("v", record.SignedInUser is null ? 2 : Version);
        json.WriteNumber("seq", sequence);
        json.WriteString("prev", previousHash);
        json.WriteString("recorded", record.Recorded.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
        json.WriteString("action", record.Action);
        json.WriteNumber("outcome", (int)record.Outcome);
        json.WriteString("partner", record.PartnerId);
        WriteOptional(json, "certificate", record.CertificateThumbprint);
        WriteOptional(json, "person", record.PersonName);
        WriteOptional(json, "user", record.SignedInUser);
        WriteOptional(json, "patient", record.PatientId);
        json.WriteStartArray("resources");
        foreach (var resource in record.Resources)
        {
            json.WriteStartObject();
            json.WriteString("ref", resource.Reference);
            json.WriteStartArray("labels");
            foreach (var label in resource.SecurityLabels) json.WriteStringValue(label);
            json.WriteEndArray();
            WriteOptional(json, "sha256", resource.ContentHash);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteOptional(json, "purpose", record.PurposeOfUse);
        WriteOptional(json, "source", record.SourceAddress);
        json.WriteString("request", record.RequestId);
        WriteOptional(json, "detail", record.Detail);
        WriteOptional(json, "consent", record.ConsentReference);
        json.WriteEndObject();
        return writer.Written.ToArray();
    }

    public static (long Sequence, string PreviousHash, AuditRecord Record) Read(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.GetProperty("v").GetInt32() is < 1 or > Version)
        {
            throw new FormatException("Unknown audit record version");
        }
        var record = new AuditRecord
        {
            Action = root.GetProperty("action").GetString()!,
            Outcome = (AuditOutcome)root.GetProperty("outcome").GetInt32(),
            Recorded = DateTimeOffset.Parse(root.GetProperty("recorded").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
            PartnerId = root.GetProperty("partner").GetString()!,
            CertificateThumbprint = Optional(root, "certificate"),
            PersonName = Optional(root, "person"),
            SignedInUser = Optional(root, "user"),
            PatientId = Optional(root, "patient"),
            Resources = root.GetProperty("resources").EnumerateArray()
                .Select(r => new AuditedResource(r.GetProperty("ref").GetString()!, r.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList(), Optional(r, "sha256")))
                .ToList(),
            PurposeOfUse = Optional(root, "purpose"),
            SourceAddress = Optional(root, "source"),
            RequestId = root.GetProperty("request").GetString()!,
            Detail = Optional(root, "detail"),
            ConsentReference = Optional(root, "consent"),
        };
        return (root.GetProperty("seq").GetInt64(), root.GetProperty("prev").GetString()!, record);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetString() : null;
}
