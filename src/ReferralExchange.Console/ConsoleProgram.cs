using ReferralExchange.WebConsole.Hosting;

namespace ReferralExchange.WebConsole;

/// <summary>
/// <c>./run.sh</c> runs this: the gateway (mutual TLS API) and the people's console (server TLS),
/// two hosts in one process over one set of core services (ADR 0022).
/// </summary>
public static class ConsoleProgram
{
    public static async Task<int> Main(string[] args)
    {
        ConsoleHost host;
        try
        {
            host = await ConsoleHost.StartAsync(args);
        }
        catch (Exception refusal) when (refusal is not OutOfMemoryException)
        {
            // One line and an exit code, as the gateway does (issue 13 §6).
            await System.Console.Error.WriteLineAsync($"Referral Exchange refused to start: {refusal.GetType().Name}: {refusal.Message}");
            return 2;
        }
        System.Console.WriteLine($"API (mutual TLS):      {host.ApiAddress}");
        System.Console.WriteLine($"Console (for people):  {host.ConsoleAddress}");
        await host.WaitForShutdownAsync();
        await host.DisposeAsync();
        return 0;
    }
}
