using Microsoft.EntityFrameworkCore;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>Builds the console host over a running gateway's services, creates the accounts store and seeds development accounts.</summary>
public static class ConsoleApp
{
    public static async Task<WebApplication> CreateAsync(string[] args, IServiceProvider gateway, Action<WebApplicationBuilder>? configure, TextWriter accountsOutput)
    {
        var builder = Builder(args, configure);
        builder.AddConsole(gateway);
        var app = builder.Build();

        using (var scope = app.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            // Migrated at start, as the gateway's own database (ADR 0024), on the configured provider.
            var database = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.Database;
            await StartupCheck.RunAsync("Console:AccountsFile, Console:Database:ConnectionString, Console:Database:MigrationConnectionString",
                "The console's accounts database cannot be opened and migrated", () => AccountsMigration.RunAsync(accounts, database, CancellationToken.None));
            // The first Data Protection key is made now, by the replica that starts first, not by
            // whichever replica answers first (each would make its own and not see the other's for a day).
            StartupCheck.Run("Console:DataProtection:CertificatePath", "The console's Data Protection keys cannot be read or written",
                () => app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("rx-console-start").Protect([1]));
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
            // A new installation's first operator (development has the seeded one, and this does nothing).
            var linkFile = await StartupCheck.RunAsync("Console:FirstOperatorUserName", "The first operator account cannot be made",
                () => scope.ServiceProvider.GetRequiredService<FirstOperatorAccount>().EnsureAsync(options.FirstOperatorUserName,
                    app.Services.GetRequiredService<ConsoleBuilder.ConsoleIssuer>().Uri, gateway.GetRequiredService<GatewayPaths>().DataDirectory, CancellationToken.None));
            if (linkFile is not null)
            {
                accountsOutput.WriteLine($"No operator can sign in to the console yet: the one-time set-password link of '{options.FirstOperatorUserName}' is in {linkFile} (owner-only; it works once, until {options.SetPasswordLinkLifetime.TotalHours:0.#} hours from now or the next start).");
            }
        }
        app.UseConsole();
        return app;
    }

    /// <summary>The console's configuration, as its host will read it: for the start-up checks that run before anything starts.</summary>
    public static IConfiguration Configuration(string[] args, Action<WebApplicationBuilder>? configure) => Builder(args, configure).Configuration;

    private static WebApplicationBuilder Builder(string[] args, Action<WebApplicationBuilder>? configure)
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
        // Console__* secret files (connection strings, certificate passwords), as the gateway reads its own.
        SecretFiles.Add(builder.Configuration);
        return builder;
    }
}
