namespace ReferralExchange.Gateway.Hosting;

/// <summary>Builds a ready-to-run gateway: used by Program, and by the benchmark to host it in-process.</summary>
public static class GatewayApp
{
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        // Docker/Kubernetes secrets as settings, before anything reads the configuration.
        SecretFiles.Add(builder.Configuration);
        builder.AddGateway();
        var app = builder.Build();
        await app.InitializeGatewayAsync();
        app.UseGateway();
        return app;
    }
}
