using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// FHIR XML (FHIR R4 xml.html) in and out. The gateway's own form is JSON: an XML body is parsed
/// strictly and becomes JSON before anything checks it, and JSON becomes XML only on the way out.
/// </summary>
public static class FhirXml
{
    private static readonly FhirXmlDeserializer Deserializer = new();
    private static readonly BaseFhirXmlSerializer Serializer = new(ModelInfo.ModelInspector);

    // No DTDs (no entity expansion, no external fetches: XXE), no external resolver.
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    /// <summary>
    /// Deeper than any FHIR resource nests (extensions in extensions are the deepest real case), and
    /// as deep as the JSON reader allows: the SDK's XML deserializer recurses per level, so an
    /// unbounded body of nested elements would exhaust the stack before it could be refused.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Our JSON (stored or built) as FHIR XML.</summary>
    public static string FromJson(string json) => Serializer.SerializeToString(FhirJson.ParseStored(json), false, () => null!);

    /// <summary>An XML body as FHIR JSON; malformed XML or invalid content is 400, with the element path where known.</summary>
    public static string ToJson(string xml)
    {
        Resource? resource;
        IEnumerable<Hl7.Fhir.Utility.CodedException> problems;
        try
        {
            EnsureShallow(xml);
            using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
            if (Deserializer.TryDeserializeResource(reader, out resource, out problems) && resource is not null)
            {
                return FhirJson.Serialize(resource);
            }
        }
        catch (Exception e) when (e is XmlException or InvalidOperationException or FormatException)
        {
            // Never echo the parser's text: it may quote the body, and the body holds PHI.
            throw new GatewayException(ErrorKind.BadRequest, "structure", "The body is not well-formed FHIR XML");
        }
        catch (DeserializationFailedException failed)
        {
            problems = failed.Exceptions;
        }
        var issues = problems
            .Select(p => new Issue(p.ErrorCode is "PVAL128" ? "structure" : p.ErrorCode is "PVAL105" ? "required" : "value",
                p.ErrorCode is "PVAL128" ? "Unknown element" : "The element's value or cardinality is not valid",
                p.GetType().GetProperty("InstancePath")?.GetValue(p) as string))
            .DefaultIfEmpty(new Issue("structure", "The body is not a FHIR resource"))
            .ToList();
        throw new GatewayException(ErrorKind.BadRequest, issues);
    }

    /// <summary>A forward-only pass (no recursion) refusing nesting beyond <see cref="MaxDepth"/>.</summary>
    private static void EnsureShallow(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
        while (reader.Read())
        {
            if (reader.Depth > MaxDepth)
            {
                throw new GatewayException(ErrorKind.BadRequest, "structure", $"The body nests elements deeper than {MaxDepth} levels");
            }
        }
    }
}
