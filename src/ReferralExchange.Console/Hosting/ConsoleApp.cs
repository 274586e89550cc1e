using Microsoft.EntityFrameworkCore;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>Builds the console host over a running gateway's services, creates the accounts store and seeds development accounts.</summary>
public static class ConsoleApp
{
    public static async Task<WebApplication> CreateAsync(string[] args, IServiceProvider gateway, Action<WebApplicationBuilder>? configure, TextWriter accountsOutput)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            // The pages are compiled into this assembly; MVC finds them by the application name.
            ApplicationName = typeof(ConsoleApp).Assembly.GetName().Name,
        });
        builder.Configuration.AddJsonFile("console.json", optional: true);
        configure?.Invoke(builder);
        builder.AddConsole(gateway);
        var app = builder.Build();

        using (var scope = app.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            // The accounts store is created on first start; its schema is Identity's (ADR 0022: no migrations yet).
            await StartupCheck.RunAsync("Console:AccountsFile", "The console's accounts database cannot be opened", () => accounts.Database.EnsureCreatedAsync());
            await PeopleSignIn.RegisterClientAsync(scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>(),
                app.Services.GetRequiredService<ConsoleBuilder.ConsoleIssuer>().Uri, CancellationToken.None);
            var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value;
            var development = gateway.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.DevelopmentCertificates;
            if (development && options.SeedDevelopmentAccounts)
            {
                var seeded = await scope.ServiceProvider.GetRequiredService<DevelopmentAccounts>()
                    .SeedAsync(options.SeedPassword, options.SeedOperatorAuthenticatorKey, CancellationToken.None);
                DevelopmentAccounts.Print(seeded, accountsOutput);
            }
        }
        app.UseConsole();
        return app;
    }
}
