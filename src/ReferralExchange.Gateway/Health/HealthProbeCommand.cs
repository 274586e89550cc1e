namespace ReferralExchange.Gateway.Health;

/// <summary>
/// <c>dotnet ReferralExchange.Gateway.dll probe [live|ready]</c>: asks the running gateway's
/// loopback health listener (<see cref="LocalHealthProbe"/>) and exits 0 when it answers 200, 1
/// otherwise: a HEALTHCHECK for an image without curl, reading the same configuration (environment,
/// appsettings) as the gateway it probes. Starts no host and touches no data.
/// </summary>
public static class HealthProbeCommand
{
    public const string Verb = "probe";

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        if (LocalHealthProbe.Port(configuration) is not { } port)
        {
            await Console.Error.WriteLineAsync($"probe: {LocalHealthProbe.PortSetting} is not set: the gateway has no loopback health listener to ask");
            return 1;
        }
        var which = args.Length > 1 ? args[1] : "ready";
        if (which is not ("live" or "ready"))
        {
            await Console.Error.WriteLineAsync("probe: live or ready");
            return 1;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/{which}"));
            await Console.Out.WriteLineAsync($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"probe: no answer from 127.0.0.1:{port} ({e.GetType().Name})");
            return 1;
        }
    }
}
