using Serilog.Core;
using Serilog.Events;

namespace ReferralExchange.Gateway.Logging;

/// <summary>
/// ASP.NET Core's request log scope adds the raw request path (which carries resource ids, and
/// for some routes identifiers) to every event. We log route templates instead, so the raw path
/// is removed from every event before any sink sees it.
/// </summary>
public sealed class RawPathRemovingEnricher : ILogEventEnricher
{
    private static readonly string[] Removed = ["RequestPath", "Path", "QueryString", "Url"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var name in Removed)
        {
            logEvent.RemovePropertyIfPresent(name);
        }
    }
}
