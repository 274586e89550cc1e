using System.Text;
using System.Text.RegularExpressions;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// A template's text (a resource's JSON, a stored response, an audit payload) cut once into literal
/// runs and the tokens a clone must change: GUIDs (resource ids, the referral key and identifier),
/// instants (shifted in time) and Kestrel request ids. Rendering a clone is then one concatenation.
/// </summary>
public sealed partial class TextTemplate
{
    private readonly string[] _literals;
    private readonly byte[][] _utf8Literals;
    private readonly Token[] _tokens;
    private readonly int _utf8Length;

    private TextTemplate(string[] literals, Token[] tokens)
    {
        (_literals, _tokens) = (literals, tokens);
        _utf8Literals = literals.Select(Encoding.UTF8.GetBytes).ToArray();
        _utf8Length = _utf8Literals.Sum(l => l.Length);
    }

    public enum TokenKind { Guid, Instant, RequestId }

    public readonly record struct Token(TokenKind Kind, string Original);

    public static TextTemplate Parse(string text)
    {
        var literals = new List<string>();
        var tokens = new List<Token>();
        var at = 0;
        foreach (Match match in Tokens().Matches(text))
        {
            literals.Add(text[at..match.Index]);
            var kind = match.Groups["guid"].Success ? TokenKind.Guid : match.Groups["instant"].Success ? TokenKind.Instant : TokenKind.RequestId;
            tokens.Add(new Token(kind, match.Value));
            at = match.Index + match.Length;
        }
        literals.Add(text[at..]);
        return new TextTemplate([.. literals], [.. tokens]);
    }

    public IEnumerable<Token> TokenList => _tokens;

    public string Render(CloneIdentity clone)
    {
        if (_tokens.Length == 0)
        {
            return _literals[0];
        }
        var builder = new StringBuilder(_utf8Length + _tokens.Length * 40);
        for (var i = 0; i < _tokens.Length; i++)
        {
            builder.Append(_literals[i]).Append(clone.Replace(_tokens[i]));
        }
        return builder.Append(_literals[^1]).ToString();
    }

    /// <summary>
    /// The clone's text as UTF-8, what SQLite stores: literal runs are encoded once per template and
    /// tokens are ASCII, so no UTF-16 string is built. Text without tokens is the same array every time.
    /// </summary>
    public Utf8Text RenderUtf8(CloneIdentity clone)
    {
        if (_tokens.Length == 0)
        {
            return new Utf8Text(_utf8Literals[0]);
        }
        var replaced = new string[_tokens.Length];
        var length = _utf8Length;
        for (var i = 0; i < _tokens.Length; i++)
        {
            replaced[i] = clone.Replace(_tokens[i]);
            length += replaced[i].Length;
        }
        var bytes = new byte[length];
        var at = 0;
        for (var i = 0; i < _tokens.Length; i++)
        {
            _utf8Literals[i].CopyTo(bytes, at);
            at += _utf8Literals[i].Length;
            at += Encoding.ASCII.GetBytes(replaced[i], bytes.AsSpan(at));
        }
        _utf8Literals[^1].CopyTo(bytes, at);
        return new Utf8Text(bytes);
    }

    [GeneratedRegex(@"(?<guid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)|(?<instant>\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?<request>\b0H[0-9A-Z]{11}:[0-9A-F]{8}\b)")]
    private static partial Regex Tokens();
}

/// <summary>Text already encoded as UTF-8, bound as SQLite TEXT.</summary>
public readonly record struct Utf8Text(byte[] Bytes);
