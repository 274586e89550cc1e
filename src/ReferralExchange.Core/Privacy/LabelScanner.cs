using System.Buffers;
using System.Text;
using System.Text.Json;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// Finds the security labels of a stored resource by reading its JSON once with a forward-only
/// reader, without building a document: <c>meta.security</c> codings (resource labels) and the
/// DS4P inline-label extensions on any element (element labels and data classes). It gives what
/// <see cref="DisclosureShaper.Inspect(System.Text.Json.Nodes.JsonNode)"/> gives over a parsed tree
/// (a property test holds them equal); every read and every search page asks it for each resource,
/// and when nothing is withheld the stored JSON then leaves as it is, never parsed.
/// </summary>
public static class LabelScanner
{
    private enum Role { Other, Root, Meta, SecurityArray, SecurityItem, ExtensionArray, ExtensionItem, ValueCoding }

    private enum Name { Other, Meta, Security, Extension, Url, ValueCoding, System, Code }

    private struct Frame
    {
        public Role Role;
        public string? Url;
        public string? System;
        public string? Code;
        public bool HasCoding;
    }

    public static DisclosureShaper.Shape Scan(string json)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, buffer);
            return Scan(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DisclosureShaper.Shape Scan(ReadOnlySpan<byte> utf8)
    {
        var resourceLabels = new List<string>();
        var elementLabels = new HashSet<string>();
        var elementClasses = new HashSet<string>();
        var stack = new List<Frame>(16);
        var property = Name.Other;
        var reader = new Utf8JsonReader(utf8);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = NameOf(ref reader);
                    break;
                case JsonTokenType.StartObject:
                    stack.Add(new Frame { Role = ObjectRole(stack, property) });
                    property = Name.Other;
                    break;
                case JsonTokenType.StartArray:
                    stack.Add(new Frame { Role = ArrayRole(stack, property) });
                    property = Name.Other;
                    break;
                case JsonTokenType.String:
                    Capture(stack, property, ref reader);
                    property = Name.Other;
                    break;
                case JsonTokenType.EndObject:
                    var ended = stack[^1];
                    stack.RemoveAt(stack.Count - 1);
                    Close(ended, stack, resourceLabels, elementLabels, elementClasses);
                    property = Name.Other;
                    break;
                case JsonTokenType.EndArray:
                    stack.RemoveAt(stack.Count - 1);
                    property = Name.Other;
                    break;
                default:
                    property = Name.Other;
                    break;
            }
        }
        return new DisclosureShaper.Shape(resourceLabels, elementLabels, elementClasses);
    }

    private static Name NameOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("extension"u8) ? Name.Extension
        : reader.ValueTextEquals("url"u8) ? Name.Url
        : reader.ValueTextEquals("valueCoding"u8) ? Name.ValueCoding
        : reader.ValueTextEquals("system"u8) ? Name.System
        : reader.ValueTextEquals("code"u8) ? Name.Code
        : reader.ValueTextEquals("meta"u8) ? Name.Meta
        : reader.ValueTextEquals("security"u8) ? Name.Security
        : Name.Other;

    private static Role ObjectRole(List<Frame> stack, Name property)
    {
        if (stack.Count == 0) return Role.Root;
        return (stack[^1].Role, property) switch
        {
            (Role.Root, Name.Meta) => Role.Meta,
            (Role.SecurityArray, _) => Role.SecurityItem,
            (Role.ExtensionArray, _) => Role.ExtensionItem,
            (Role.ExtensionItem, Name.ValueCoding) => Role.ValueCoding,
            _ => Role.Other,
        };
    }

    // A property name is only read inside an object, and is forgotten when a container opens, so an
    // "extension" array always has an object parent (arrays nested in arrays get Role.Other).
    private static Role ArrayRole(List<Frame> stack, Name property) =>
        stack.Count == 0 ? Role.Other
        : (stack[^1].Role, property) switch
        {
            (Role.Meta, Name.Security) => Role.SecurityArray,
            (_, Name.Extension) => Role.ExtensionArray,
            _ => Role.Other,
        };

    private static void Capture(List<Frame> stack, Name property, ref Utf8JsonReader reader)
    {
        if (stack.Count == 0) return;
        var frame = stack[^1];
        switch (frame.Role, property)
        {
            case (Role.ExtensionItem, Name.Url):
                frame.Url = reader.GetString();
                break;
            case (Role.ValueCoding or Role.SecurityItem, Name.System):
                frame.System = reader.GetString();
                break;
            case (Role.ValueCoding or Role.SecurityItem, Name.Code):
                frame.Code = reader.GetString();
                break;
            default:
                return;
        }
        stack[^1] = frame;
    }

    private static void Close(Frame ended, List<Frame> stack, List<string> resourceLabels, HashSet<string> elementLabels, HashSet<string> elementClasses)
    {
        switch (ended.Role)
        {
            case Role.SecurityItem when ended.System == FhirUris.ActCode && ended.Code is not null:
                resourceLabels.Add(ended.Code);
                break;
            case Role.ValueCoding:
                // The coding belongs to its extension, whose url may come after it (JSON objects are unordered).
                var extension = stack[^1];
                extension.System = ended.System;
                extension.Code = ended.Code;
                extension.HasCoding = true;
                stack[^1] = extension;
                break;
            case Role.ExtensionItem when ended.HasCoding && ended.Url == InlineLabels.ExtensionUrl && ended.Code is not null:
                if (ended.System == FhirUris.ActCode) elementLabels.Add(ended.Code);
                else if (ended.System == FhirUris.DataClass) elementClasses.Add(ended.Code);
                break;
        }
    }
}
