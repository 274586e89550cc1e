using System.Text;
using System.Text.Json;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// Writes a searchset Bundle (FHIR R4 §3.1.1.3) around resources already stored as FHIR JSON,
/// without parsing and re-serialising each one: an inbox page costs one copy, not twenty POCOs.
/// </summary>
public static class SearchsetWriter
{
    public sealed record Entry(string FullUrl, string ResourceJson, string Mode);

    /// <param name="total">Omitted when null (R4 Bundle.total is 0..1; a search may leave it out when counting would cost a scan).</param>
    /// <param name="lastUpdated">The instant the result describes (Bundle.meta.lastUpdated), when it is a snapshot.</param>
    public static string Write(int? total, IEnumerable<(string Relation, string Url)> links, IEnumerable<Entry> entries, DateTimeOffset? lastUpdated = null)
    {
        using var writer = ReusableJsonWriter.Rent();
        var json = writer.Json;
        json.WriteStartObject();
        json.WriteString("resourceType", "Bundle");
        if (lastUpdated is { } instant)
        {
            json.WriteStartObject("meta");
            json.WriteString("lastUpdated", instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        json.WriteString("type", "searchset");
        if (total is { } count)
        {
            json.WriteNumber("total", count);
        }
        json.WriteStartArray("link");
        foreach (var (relation, url) in links)
        {
            json.WriteStartObject();
            json.WriteString("relation", relation);
            json.WriteString("url", url);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        var any = false;
        foreach (var entry in entries)
        {
            if (!any)
            {
                json.WriteStartArray("entry");
                any = true;
            }
            json.WriteStartObject();
            json.WriteString("fullUrl", entry.FullUrl);
            json.WritePropertyName("resource");
            // Stored JSON was produced by our serializer from a validated resource.
            json.WriteRawValue(entry.ResourceJson, skipInputValidation: true);
            json.WriteStartObject("search");
            json.WriteString("mode", entry.Mode);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        if (any)
        {
            json.WriteEndArray();
        }
        json.WriteEndObject();
        return Encoding.UTF8.GetString(writer.Written);
    }
}
