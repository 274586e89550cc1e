using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// Strict FHIR JSON in and out (FHIR R4 §2.6.2). Parse problems become typed errors that carry
/// the instance path, so the client learns which element is wrong and nothing else.
/// </summary>
public static class FhirJson
{
    private static readonly FhirJsonDeserializer Deserializer = new();
    private static readonly DeserializerSettings StrictSettings = Deserializer.Settings;
    private static readonly FhirJsonSerializer Serializer = new();
    private static readonly FhirJsonDeserializer Tolerant = new(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));

    public static string Serialize(Resource resource) => Serializer.SerializeToString(resource);

    /// <summary>Parses a resource and checks its type; malformed JSON is 400, invalid content 400 with paths.</summary>
    public static T Parse<T>(string json) where T : Resource
    {
        var resource = Parse(json);
        if (resource is not T typed)
        {
            throw new GatewayException(ErrorKind.BadRequest, "invalid",
                $"Expected a {typeof(T).Name} but the body holds a {resource.TypeName}", "resourceType");
        }
        return typed;
    }

    public static Resource Parse(string json)
    {
        // One validator per parse: it counts this body's issues and stops the parse at the limit.
        var budget = new IssueBudgetValidator(StrictSettings.Validator!, IssueLimit.Max);
        var deserializer = new FhirJsonDeserializer(StrictSettings with { Validator = budget });
        IEnumerable<Hl7.Fhir.Utility.CodedException> problems;
        var stoppedEarly = false;
        try
        {
            if (deserializer.TryDeserializeResource(json, out var resource, out problems))
            {
                return resource!;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Never echo the parser's text: it may quote the body, and the body holds PHI.
            throw new GatewayException(ErrorKind.BadRequest, "structure", "The body is not well-formed JSON");
        }
        catch (DeserializationFailedException failed)
        {
            problems = failed.Exceptions;
        }
        catch (IssueBudgetSpentException)
        {
            problems = budget.Found;
            stoppedEarly = true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The SDK's deserializer has failure modes of its own on hostile input (an empty
            // property name is an IndexOutOfRangeException inside it). Whatever it throws on a
            // client's body is a 400 about that body, never a 500 (issue 13 §3).
            throw new GatewayException(ErrorKind.BadRequest, "structure", "The body is not a readable FHIR resource", JsonShape.EmptyPropertyPath(json));
        }

        var typeName = TypeNameOf(json);
        var issues = IssueLimit.Cap(problems,
            p => new Issue(p.ErrorCode is "PVAL128" ? "structure" : p.ErrorCode is "PVAL105" ? "required" : "value",
                DescribeProblem(p), InstancePath(p, typeName)), stoppedEarly);
        throw new GatewayException(ErrorKind.BadRequest,
            issues.Count > 0 ? issues : [new Issue("structure", "The body is not a FHIR resource")]);
    }

    /// <summary>
    /// A copy of an in-memory resource with nothing attached to it: written out and read back with
    /// no checks (the resource is already built; a partial one stays as it is). A deep copy would
    /// carry the SDK's annotations, and with them whatever they reference.
    /// </summary>
    public static Resource Detach(Resource resource) => Tolerant.DeserializeResource(Serializer.SerializeToString(resource));

    /// <summary>Reads a stored resource; stored JSON was valid when written, so failures are bugs.</summary>
    public static Resource ParseStored(string json) => Deserializer.DeserializeResource(json);

    private static string? InstancePath(Hl7.Fhir.Utility.CodedException problem, string typeName)
    {
        var path = problem.GetType().GetProperty("InstancePath")?.GetValue(problem) as string;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        // The SDK names the root "$this" (or "UnnamedResource_$this"); clients expect the type name.
        path = path.Replace("UnnamedResource_$this", typeName).Replace("$this", typeName);
        return path;
    }

    private static string TypeNameOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("resourceType", out var type)
                && type.ValueKind == JsonValueKind.String
                ? type.GetString() ?? "Resource"
                : "Resource";
        }
        catch (JsonException)
        {
            return "Resource";
        }
    }

    private static string DescribeProblem(Hl7.Fhir.Utility.CodedException problem)
    {
        // BaseErrorMessage names the rule without line/position noise; it can quote a code value
        // from the body ("Value 'x' is not a correct code"), which is not PHI but is trimmed anyway.
        var text = problem.GetType().GetProperty("BaseErrorMessage")?.GetValue(problem) as string ?? problem.Message;
        return problem.ErrorCode switch
        {
            "PVAL128" => "Unknown element",
            "JSON103" or "PVAL130" => "resourceType is missing or not a known resource type",
            _ => Truncate(text),
        };
    }

    // Quoted fragments are values from the body (a birth date, a name in a wrong-typed field):
    // they are PHI and never go back out, nor into logs.
    private static string Truncate(string text)
    {
        var clean = System.Text.RegularExpressions.Regex.Replace(text, "'[^']*'", "value");
        return clean.Length <= 200 ? clean : clean[..200];
    }
}
