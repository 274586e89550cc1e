using Azure.Identity;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Gateway.Audit;
using ReferralExchange.Infrastructure.Audit.Witnesses;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Composes the witnesses (issue 12 §2, §5, ADR 0013): which ones the configuration names, the
/// guard that refuses to sign over a forged chain, the publisher, the readiness checks and the
/// final checkpoint on a graceful stop; and at start, the refusal to run without a writable witness.
/// </summary>
public static class AuditWitnessing
{
    public const string DefaultDirectoryName = "audit-witness";

    public static void Add(WebApplicationBuilder builder, GatewayPaths paths, Action<DbContextOptionsBuilder> useDatabase)
    {
        var options = builder.Configuration.GetSection(WitnessOptions.Section).Get<WitnessOptions>() ?? new WitnessOptions();
        builder.Services.Configure<WitnessOptions>(builder.Configuration.GetSection(WitnessOptions.Section));
        var witnesses = Create(options, paths);
        builder.Services.AddSingleton(witnesses);
        if (options.RecheckCpuShare is not (> 0 and <= 1))
        {
            throw new GatewayStartupException($"Gateway:Audit:RecheckCpuShare must be above 0 and at most 1, not {options.RecheckCpuShare}");
        }
        // The guard and the re-check read the trail on contexts of their own, outside any request scope.
        var contextOptions = new DbContextOptionsBuilder<GatewayDbContext>();
        useDatabase(contextOptions);
        var built = contextOptions.Options;
        Func<GatewayDbContext> contexts = () => new GatewayDbContext(built);
        builder.Services.AddSingleton(services => new AuditIntegrityGuard(contexts, witnesses, services.GetRequiredService<IKeySigner>(),
            services.GetRequiredService<ILogger<AuditIntegrityGuard>>()));
        builder.Services.AddSingleton(services => new AuditRecheck(contexts, services.GetRequiredService<AuditIntegrityGuard>(), services.GetRequiredService<ILogger<AuditRecheck>>()));
        builder.Services.AddHostedService<AuditRecheckService>();
        builder.Services.AddSingleton<WitnessPublisher>();
        builder.Services.AddSingleton<WitnessedCheckpointing>();
        builder.Services.AddSingleton(services => new WitnessedVerification(services.GetRequiredService<IKeySigner>(), witnesses,
            options.VerifyStatePath is { } state ? paths.Resolve(state) : DefaultStatePath(witnesses)));
        builder.Services.AddHostedService<FinalCheckpointService>();
        builder.Services.AddHealthChecks()
            .AddCheck<AuditIntegrityHealthCheck>("audit-integrity", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<WitnessWritableHealthCheck>("witness-writable", tags: [HealthEndpoints.ReadyTag]);
    }

    /// <summary>
    /// Before the first request: every witness must be writable, or the gateway refuses to start
    /// (one line naming the setting); then the trail is checked against them (a failure leaves the
    /// gateway running, unready and refusing writes, so an operator can still read and investigate).
    /// </summary>
    public static async Task StartAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WitnessOptions>>().Value;
        var witnesses = services.GetRequiredService<CheckpointWitnesses>();
        for (var i = 0; i < witnesses.All.Count; i++)
        {
            try
            {
                await witnesses.All[i].EnsureWritableAsync(ct);
            }
            catch (WitnessUnavailableException error)
            {
                var setting = options.Witnesses.Count == 0
                    ? $"the default audit witness directory (set Gateway:Audit:Witnesses:0:Path to choose another)"
                    : $"Gateway:Audit:Witnesses:{i}";
                throw new GatewayStartupException($"{setting} is not writable: {error.Message}");
            }
        }
        try
        {
            await services.GetRequiredService<AuditIntegrityGuard>().CheckAsync(ct);
        }
        catch (WitnessUnavailableException error)
        {
            logger.LogWarning("Audit trail not yet checked against its witnesses: {Reason}; checked again before the next checkpoint", error.Message);
        }
    }

    private static CheckpointWitnesses Create(WitnessOptions options, GatewayPaths paths)
    {
        if (options.Witnesses.Count == 0)
        {
            // Beside the data directory, not in it: whoever replaces the database folder does not take the witness with it.
            var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(paths.DataDirectory)) ?? paths.DataDirectory;
            return new CheckpointWitnesses([new DirectoryWitness(Path.Combine(parent, DefaultDirectoryName))]);
        }
        try
        {
            return new CheckpointWitnesses(options.Witnesses
                .Select((settings, i) => WitnessFactory.Create(settings, $"Gateway:Audit:Witnesses:{i}", paths.Resolve, () => new DefaultAzureCredential()))
                .ToList());
        }
        catch (Exception error) when (error is ArgumentException or FormatException)
        {
            throw new GatewayStartupException(error.Message);
        }
    }

    private static string? DefaultStatePath(CheckpointWitnesses witnesses) =>
        witnesses.All.OfType<DirectoryWitness>().FirstOrDefault() is { } directory ? directory.Name + ".verify-state.json" : null;

}
