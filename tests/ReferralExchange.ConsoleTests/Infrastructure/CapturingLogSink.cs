using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ReferralExchange.ConsoleTests.Infrastructure;

/// <summary>Keeps every log event both hosts write, rendered with its properties, so tests can look for PHI.</summary>
public sealed class CapturingLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        new Serilog.Formatting.Compact.CompactJsonFormatter().Format(logEvent, writer);
        _lines.Enqueue(writer.ToString());
    }
}
