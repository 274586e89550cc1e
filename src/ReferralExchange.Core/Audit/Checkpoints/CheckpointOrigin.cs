namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>
/// The origin line of the gateway's checkpoints, and the name of its note key: a schema-less URL
/// (tlog-checkpoint recommends one, without spaces or '+'). Configured by <c>Gateway:Audit:CheckpointOrigin</c>;
/// by default the public base URL without its scheme, followed by <c>/audit</c>
/// (<c>https://rx.example.org</c> gives <c>rx.example.org/audit</c>). Resolved on first use, since in
/// development the base URL is known only once the server listens.
/// </summary>
public sealed class CheckpointOrigin(Func<string> resolve)
{
    // PublicationOnly: asked before the server has bound (development derives the base URL from the
    // listen address), the failure is not cached and the next checkpoint round tries again.
    private readonly Lazy<string> _value = new(() => Validate(resolve()), LazyThreadSafetyMode.PublicationOnly);

    public string Value => _value.Value;

    public static string FromBaseUrl(string publicBaseUrl)
    {
        var uri = new Uri(publicBaseUrl);
        return $"{uri.Authority}{uri.AbsolutePath.TrimEnd('/')}/audit";
    }

    private static string Validate(string origin) =>
        origin.Length == 0 || origin.Any(char.IsWhiteSpace) || origin.Contains('+')
            ? throw new InvalidOperationException($"checkpoint origin '{origin}' must be non-empty, without spaces or '+'")
            : origin;
}
