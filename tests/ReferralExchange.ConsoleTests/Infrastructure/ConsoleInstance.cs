using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.WebConsole.Hosting;

namespace ReferralExchange.ConsoleTests.Infrastructure;

/// <summary>
/// One console process's worth (gateway and console, <see cref="ConsoleHost"/>) started from the
/// given settings, for tests that stop and start hosts themselves: a restart on the same data, or
/// two replicas on one database. Its log lines are kept for the person-data check.
/// </summary>
public sealed class ConsoleInstance : IAsyncDisposable
{
    private ConsoleInstance(ConsoleHost host, CapturingLogSink logs)
    {
        Host = host;
        Logs = logs;
    }

    public ConsoleHost Host { get; }
    public CapturingLogSink Logs { get; }
    public Uri ConsoleAddress => Host.ConsoleAddress;

    /// <param name="accountsOutput">Where the console prints what it says about accounts at start (development passwords, the first operator's link file).</param>
    public static async Task<ConsoleInstance> StartAsync(string[] args, TextWriter? accountsOutput = null)
    {
        var logs = new CapturingLogSink();
        var host = await ConsoleHost.StartAsync(args,
            gateway => gateway.Services.AddSingleton<Serilog.Core.ILogEventSink>(logs),
            console => console.Services.AddSingleton<Serilog.Core.ILogEventSink>(logs),
            accountsOutput ?? TextWriter.Null);
        return new ConsoleInstance(host, logs);
    }

    /// <summary>A browser at this console; pass another client's jar to be the same browser.</summary>
    public ConsoleClient NewClient(string certificatesDirectory, CookieContainer? cookies = null) =>
        new(ConsoleAddress, new DevCertificateFiles(certificatesDirectory).LoadCaPublic(), cookies);

    /// <summary>A browser at this console by the name people use (<c>localhost</c>, as the balancer's URL), so cookies are shared with it.</summary>
    public ConsoleClient NewClientByName(string certificatesDirectory, CookieContainer cookies) =>
        new(new Uri($"https://localhost:{ConsoleAddress.Port}/"), new DevCertificateFiles(certificatesDirectory).LoadCaPublic(), cookies);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        var leaks = Logs.Lines.Where(line => ConsoleFixture.PersonData.Any(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log line(s) contain person data");
    }
}
