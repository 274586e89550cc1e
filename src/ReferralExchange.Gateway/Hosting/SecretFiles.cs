namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Settings read from files, one setting per file (<c>Gateway:SecretsDirectory</c>, off unless set):
/// how Docker and Kubernetes hand over secrets (<c>/run/secrets/NAME</c>), so that a connection
/// string or certificate password is never an environment variable that <c>docker inspect</c> or
/// a crash dump shows. A file named <c>Gateway__Database__ConnectionString</c> sets
/// <c>Gateway:Database:ConnectionString</c> (the environment variables' spelling); only names under
/// <c>Gateway__</c> and, for the people's console in the same process, <c>Console__</c> are read,
/// so other secrets mounted beside them stay unread. A trailing newline
/// (what <c>echo</c> writes) is not part of the value. Added last: a secret file wins over the
/// environment, the way the deployment meant it.
/// </summary>
public static class SecretFiles
{
    public const string Setting = "Gateway:SecretsDirectory";
    private static readonly string[] Prefixes = ["Gateway__", "Console__"];

    public static void Add(ConfigurationManager configuration)
    {
        if (configuration[Setting] is not { Length: > 0 } directory)
        {
            return;
        }
        if (!Directory.Exists(directory))
        {
            throw new GatewayStartupException($"{Setting} is {directory}, which is not a directory");
        }
        var values = Directory.EnumerateFiles(directory)
            .Where(path => Prefixes.Any(prefix => Path.GetFileName(path).StartsWith(prefix, StringComparison.Ordinal)))
            .ToDictionary(
                path => Path.GetFileName(path).Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
                path => (string?)File.ReadAllText(path).TrimEnd('\r', '\n'),
                StringComparer.OrdinalIgnoreCase);
        configuration.AddInMemoryCollection(values);
    }
}
