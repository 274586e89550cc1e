using System.Globalization;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// What makes one clone a different referral: a fresh value for every GUID of the template (a
/// version-7 GUID of the clone's own time, so ids still sort by creation as the gateway's do),
/// every instant moved by the same whole number of seconds, and its own request ids.
/// </summary>
public sealed class CloneIdentity(long number, TimeSpan shift)
{
    private readonly Dictionary<string, string> _replaced = new(StringComparer.Ordinal);
    private int _connections;

    public TimeSpan Shift { get; } = TimeSpan.FromSeconds(Math.Round(shift.TotalSeconds));

    public long ShiftTicks(long ticks) => ticks + Shift.Ticks;

    public string Replace(TextTemplate.Token token)
    {
        if (_replaced.TryGetValue(token.Original, out var known))
        {
            return known;
        }
        var replaced = token.Kind switch
        {
            TextTemplate.TokenKind.Guid => NewGuid(token.Original),
            TextTemplate.TokenKind.Instant => ShiftInstant(token.Original),
            _ => NewRequestId(token.Original),
        };
        _replaced[token.Original] = replaced;
        return replaced;
    }

    private string NewGuid(string original)
    {
        // A v7 GUID's first 48 bits are its time: take the template id's time, moved like everything else.
        var guid = Guid.Parse(original);
        var when = guid.Version == 7 ? TimeOf(guid) + Shift : DateTimeOffset.UtcNow + Shift;
        var fresh = Guid.CreateVersion7(when).ToString();
        return char.IsUpper(original.First(char.IsLetter)) ? fresh.ToUpperInvariant() : fresh;
    }

    private string ShiftInstant(string original)
    {
        // yyyy-MM-ddTHH:mm:ss, then fraction and zone kept as written: a whole-second shift leaves them exact.
        int Digits(int at, int count) { var v = 0; for (var i = at; i < at + count; i++) v = v * 10 + (original[i] - '0'); return v; }
        var whole = new DateTime(Digits(0, 4), Digits(5, 2), Digits(8, 2), Digits(11, 2), Digits(14, 2), Digits(17, 2));
        return (whole + Shift).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + original[19..];
    }

    private string NewRequestId(string original)
    {
        // Kestrel's "connection:request" ids: a clone-unique connection part, the request counter kept.
        var connection = (number << 4) + _connections++;
        Span<char> chars = stackalloc char[11];
        for (var i = 10; i >= 0; i--, connection >>= 5)
        {
            chars[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUV"[(int)(connection & 31)];
        }
        return "0H" + new string(chars) + original[13..];
    }

    private static DateTimeOffset TimeOf(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++) ms = (ms << 8) | bytes[i];
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
