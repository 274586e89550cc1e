using System.Diagnostics;
using System.Text.Json;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>
/// Runs the outside generator: npm's autocannon 9 (installed by bench/run-outside.sh into a scratch
/// folder), one bounded run per call, presenting the partner's client certificate, keep-alive,
/// and reads its <c>--json</c> result.
/// </summary>
public sealed class Autocannon(string script)
{
    public const string DefaultScript = "/tmp/rx-bench-tools/node_modules/autocannon/autocannon.js";

    public static Autocannon Locate(string script) => File.Exists(script)
        ? new Autocannon(script)
        : throw new FileNotFoundException($"autocannon not found at {script}: run bench/run-outside.sh, or npm install --prefix /tmp/rx-bench-tools autocannon@9");

    public async Task<AutocannonResult> RunAsync(Workload workload, Uri baseUri, int connections, TimeSpan duration, TimeSpan requestTimeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            script, "--json", "--no-progress",
            "-c", connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-d", ((int)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-t", ((int)requestTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cert", workload.Certificate, "--key", workload.Key, "--ca", workload.CaCertificate,
            "-m", workload.Method,
        ];
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in workload.Headers)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add($"{name}={value}");
        }
        if (workload.Body is not null)
        {
            info.ArgumentList.Add("-b");
            info.ArgumentList.Add(workload.Body);
        }
        if (workload.UniqueIds) info.ArgumentList.Add("-I");
        info.ArgumentList.Add(new Uri(baseUri, workload.Path).ToString());

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        // Bounded: autocannon stops itself after -d; this is the backstop.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(duration + requestTimeout + TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"autocannon did not finish {workload.Name} in time");
        }
        var json = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        return json is null
            ? throw new InvalidOperationException($"autocannon printed no result for {workload.Name}: {await stderr}")
            : AutocannonResult.Parse(json);
    }
}

/// <summary>The figures the table needs from one autocannon run.</summary>
/// <param name="NonSuccess">Answers with a status outside 2xx.</param>
/// <param name="Timeouts">Requests without an answer within -t (autocannon resets the connection).</param>
public sealed record AutocannonResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Total, long Ok, long NonSuccess, long Errors, long Timeouts)
{
    public long Failed => NonSuccess + Errors + Timeouts;

    public static AutocannonResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var latency = root.GetProperty("latency");
        var requests = root.GetProperty("requests");
        long Count(string name) => root.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        return new AutocannonResult(
            requests.GetProperty("average").GetDouble(),
            latency.GetProperty("p50").GetDouble(),
            latency.GetProperty("p99").GetDouble(),
            requests.GetProperty("total").GetInt64(),
            Count("2xx"),
            Count("non2xx"),
            // autocannon counts a timeout as an error too.
            Math.Max(0, Count("errors") - Count("timeouts")),
            Count("timeouts"));
    }
}
