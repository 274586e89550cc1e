using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Search;

/// <summary>
/// The <c>_cursor</c> of next links (FHIR R4 http.html#paging: the links are the server's, opaque to
/// the client). It carries the walk's sort, snapshot and last position, and an HMAC over them and
/// over what it was issued for (caller, resource type and the search's parameters): a forged,
/// altered or foreign cursor, or one past its lifetime, is refused with 400 rather than starting
/// a walk somewhere unintended.
/// </summary>
public sealed class SearchCursorSigner
{
    /// <summary>How long a walk's next links stay valid, counted from its first page (its snapshot).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const string Version = "1";
    private const int MacBytes = 16;
    private readonly byte[] _key;

    public SearchCursorSigner(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The search cursor key must be at least 256 bits", nameof(key));
        }
        _key = key;
    }

    public string Issue(SearchCursor cursor, string binding)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('|', Version, cursor.Sort.Parameter,
            cursor.Value.ToString(CultureInfo.InvariantCulture), cursor.LastUpdatedTicks.ToString(CultureInfo.InvariantCulture),
            cursor.SnapshotTicks.ToString(CultureInfo.InvariantCulture), cursor.Id));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Mac(payload, binding));
    }

    /// <summary>Opens a cursor issued for exactly this binding and still within its lifetime; otherwise 400 naming <c>_cursor</c>.</summary>
    public SearchCursor Open(string token, string binding, DateTimeOffset now)
    {
        var cursor = TryOpen(token, binding) ?? throw Bad("not a cursor this server issued for this search");
        var age = now.UtcTicks - cursor.SnapshotTicks;
        return age >= 0 && age <= Lifetime.Ticks
            ? cursor
            : throw Bad("this paging link has expired; search again");
    }

    private SearchCursor? TryOpen(string token, string binding)
    {
        var dot = token.IndexOf('.');
        if (token.Length > 512 || dot <= 0)
        {
            return null;
        }
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(payload, binding)))
        {
            return null;
        }
        var parts = Encoding.UTF8.GetString(payload).Split('|', 6);
        if (parts.Length != 6 || parts[0] != Version
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var lastUpdated)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var snapshot))
        {
            return null;
        }
        // The MAC held, so the fields are ours; the sort still has to be one we know.
        return new SearchCursor(SearchSort.FromParameter(parts[1]), value, lastUpdated, parts[5], snapshot);
    }

    private byte[] Mac(byte[] payload, string binding)
    {
        var bound = Encoding.UTF8.GetBytes(binding);
        var message = new byte[payload.Length + 1 + bound.Length];
        payload.CopyTo(message, 0);
        bound.CopyTo(message, payload.Length + 1);
        return HMACSHA256.HashData(_key, message)[..MacBytes];
    }

    private static GatewayException Bad(string message) => new(ErrorKind.BadRequest, "invalid", message, "_cursor");
}
