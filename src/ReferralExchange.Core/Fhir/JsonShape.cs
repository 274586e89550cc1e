using System.Text;
using System.Text.Json;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// Cheap forward-only looks at a JSON body, for errors the SDK reports without a location.
/// </summary>
public static class JsonShape
{
    /// <summary>
    /// Where the first property with an empty name is, FHIRPath-style (<c>Task._status</c>), or null.
    /// FHIR JSON (R4 §2.6.2) has no empty names; the SDK fails on one without saying where.
    /// </summary>
    public static string? EmptyPropertyPath(string json)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 256 });
            var path = new List<(string Name, int Index)>();
            string? root = null;
            string? pending = null;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pending = reader.GetString();
                        if (pending == string.Empty)
                        {
                            return Render(root, path, "''");
                        }
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (path.Count > 0 && path[^1].Index >= 0)
                        {
                            path[^1] = (path[^1].Name, path[^1].Index + 1);
                        }
                        path.Add((pending ?? string.Empty, reader.TokenType == JsonTokenType.StartArray ? 0 : -1));
                        pending = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String when pending == "resourceType" && path.Count == 1:
                        root = reader.GetString();
                        pending = null;
                        break;
                    default:
                        if (path.Count > 0 && path[^1].Index >= 0)
                        {
                            path[^1] = (path[^1].Name, path[^1].Index + 1);
                        }
                        pending = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private static string Render(string? root, List<(string Name, int Index)> path, string leaf)
    {
        var text = new StringBuilder(root ?? "Resource");
        for (var i = 1; i < path.Count; i++)
        {
            var (name, index) = path[i];
            if (name.Length > 0)
            {
                text.Append('.').Append(name);
            }
            // An array's index counts items begun so far; the item we are in is the last one.
            if (index >= 0)
            {
                text.Append('[').Append(index - 1).Append(']');
            }
        }
        return text.Append('.').Append(leaf).ToString();
    }
}
