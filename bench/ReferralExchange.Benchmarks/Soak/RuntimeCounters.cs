using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>
/// The gateway runtime's own GC figures, read from outside the process over its diagnostics port
/// (EventPipe, the <c>System.Runtime</c> event counters, as <c>dotnet-counters</c> reads them), so
/// the gateway needs no change and no endpoint for the soak. Holds the latest value of each.
/// </summary>
public sealed class RuntimeCounters : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Task _reading;
    // NaN until the first counter event arrives.
    private double _heapMb = double.NaN;
    private double _committedMb = double.NaN;

    private RuntimeCounters(EventPipeSession session)
    {
        _session = session;
        _reading = Task.Run(Read);
    }

    public double? GcHeapMb => Volatile.Read(ref _heapMb) is var v && !double.IsNaN(v) ? v : null;
    public double? GcCommittedMb => Volatile.Read(ref _committedMb) is var v && !double.IsNaN(v) ? v : null;

    /// <summary>Opens the session, or returns null (with the reason logged) where the port cannot be reached.</summary>
    public static RuntimeCounters? TryStart(int pid, int intervalSeconds, TextWriter log)
    {
        try
        {
            var provider = new EventPipeProvider("System.Runtime", System.Diagnostics.Tracing.EventLevel.Informational, 0xFFFFFFFF,
                new Dictionary<string, string> { ["EventCounterIntervalSec"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            var session = new DiagnosticsClient(pid).StartEventPipeSession([provider], requestRundown: false);
            return new RuntimeCounters(session);
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or TimeoutException or IOException)
        {
            log.WriteLine($"  no GC counters ({e.GetType().Name}); RSS, handles and threads only");
            return null;
        }
    }

    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Dynamic.All += e =>
        {
            if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> outer
                || outer["Payload"] is not IDictionary<string, object> fields)
            {
                return;
            }
            var value = Convert.ToDouble(fields.TryGetValue("Mean", out var mean) ? mean : fields["Increment"], System.Globalization.CultureInfo.InvariantCulture);
            switch (fields["Name"] as string)
            {
                case "gc-heap-size": Volatile.Write(ref _heapMb, value); break; // MB (GC.GetTotalMemory)
                case "gc-committed": Volatile.Write(ref _committedMb, value); break; // MB
            }
        };
        try
        {
            source.Process();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The session was stopped or the process went away.
        }
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException)
        {
            // The gateway has already gone.
        }
        _reading.Wait(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }
}
