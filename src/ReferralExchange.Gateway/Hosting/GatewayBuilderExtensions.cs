using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;
using ReferralExchange.Core.Reading;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Core.Referrals;
using ReferralExchange.Core.Reports;
using ReferralExchange.Core.Routing;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Storage;
using ReferralExchange.Core.Tasks;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Notifications;
using ReferralExchange.Infrastructure.Outbound;
using ReferralExchange.Infrastructure.Partners;
using ReferralExchange.Infrastructure.Privacy;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Stores;
using ReferralExchange.Infrastructure.Search;
using Serilog;
using Serilog.Formatting.Compact;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>Composition root: what the gateway is made of.</summary>
public static class GatewayBuilderExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        var paths = StartupCheck.Run("Gateway:ProfilesDirectory, Gateway:DataDirectory, Gateway:PartnersFile", "The configured paths cannot be resolved",
            () => new GatewayPaths(builder.Environment.ContentRootPath, options));
        var database = StartupCheck.Run("Gateway:Database:Provider", "The database provider is not known",
            () => options.Database.WithFallback(options.DatabaseProvider, options.ConnectionString).Validated());
        var embedded = database.Kind == DatabaseProvider.Sqlite;
        StartupCheck.Run("Gateway:DataDirectory, Gateway:DatabaseFile", $"The data directory {paths.DataDirectory} cannot be prepared",
            () => DataAtRest.Prepare(paths, embedded));

        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With(new Logging.RawPathRemovingEnricher())
            // The console is written from a background thread: a request never waits for a log line.
            .WriteTo.Async(sink => sink.Console(new CompactJsonFormatter())),
            preserveStaticLogger: true);

        var time = TimeProvider.System;
        var seed = StartupCheck.Run("Gateway:PartnersFile", $"The partners file {paths.PartnersFile} cannot be read", () => PartnerSeedFile.Load(paths.PartnersFile));
        var certificates = StartupCheck.Run(GatewayCertificates.SettingsFor(options), "The certificates cannot be loaded",
            () => GatewayCertificates.Prepare(options, paths, seed, time));

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(seed);
        builder.Services.AddSingleton(certificates);
        builder.Services.AddSingleton(certificates.Trust);
        PublicHosting.Add(builder, options);
        Telemetry.GatewayTelemetrySetup.Add(builder);
        Health.GatewayHealthChecks.Add(builder);

        Action<DbContextOptionsBuilder> useDatabase = embedded
            ? db => db.UseGatewaySqlite(paths.DatabasePath, database.BusyTimeout)
            : db => db.UseGatewayServer(database.Kind, database.RequiredConnectionString, database.BusyTimeout);
        // Pooled (ADR 0027): a request's context comes with its internal services already built,
        // instead of building them (and the options) for every request. A context returned to the
        // pool is reset by EF (tracked entities, transaction, connection closed); the one property
        // of our own, BatchAuditTip, is set only on the group commit's contexts, which are not pooled.
        builder.Services.AddDbContextPool<GatewayDbContext>(useDatabase);
        DatabaseFaults.Add(builder, database, paths, embedded, options.RequestTimeout);
        // Graceful stop (issue 13 §6): Kestrel drains requests in flight and hosted services finish within this.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        // One writer for every request's unit of work (ADR 0010); its contexts see the same interceptors as the request's.
        builder.Services.AddSingleton(services =>
        {
            var commitOptions = new DbContextOptionsBuilder<GatewayDbContext>();
            useDatabase(commitOptions);
            commitOptions.AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
            var built = commitOptions.Options;
            return new GroupCommit(() => new GatewayDbContext(built), services.GetRequiredService<WriteGate>(),
                services.GetRequiredService<ILogger<GroupCommit>>(), services.GetRequiredService<DatabaseContention>(),
                services.GetService<DatabaseFileGuard>());
        });
        var registry = new CertificateRegistry(() =>
        {
            var registryOptions = new DbContextOptionsBuilder<GatewayDbContext>();
            useDatabase(registryOptions);
            return new GatewayDbContext(registryOptions.Options);
        });

        var profiles = StartupCheck.Run("Gateway:ProfilesDirectory", "The profiles cannot be loaded", () => ProfilePackage.Load(paths.ProfilesDirectory));
        builder.Services.AddSingleton(profiles);
        // Firely's validator over profiles/ and the spec (ADR 0016); warmed in InitializeGatewayAsync.
        builder.Services.AddSingleton(_ => SharedProfileValidator.For(profiles, paths.ProfilesDirectory));
        builder.Services.AddSingleton(services => services.GetRequiredService<WarmValidator>().Validator);
        builder.Services.AddSingleton(CategoryRouting.Default);
        builder.Services.AddSingleton<NativeReferralValidator>();
        builder.Services.AddSingleton<ReferralTranslator>();
        builder.Services.AddSingleton<TransactionBundleReader>();
        builder.Services.AddSingleton(LabelingRules.Default);
        builder.Services.AddSingleton(MinimumNecessaryRules.Default);
        builder.Services.AddSingleton<MinimumNecessaryShaper>();
        builder.Services.AddSingleton<SecurityLabeler>();
        builder.Services.AddSingleton(_ => new ConsentPolicyCache(options.ConsentCacheEntries));
        builder.Services.AddSingleton<TaskAccessIndexer>();
        builder.Services.AddScoped<TaskAccessRebuilder>();
        builder.Services.AddScoped<IConsentRepository, EfConsentRepository>();
        builder.Services.AddScoped<ConsentGate>();
        builder.Services.AddScoped<ConsentRevocationService>();
        builder.Services.AddScoped<ConsentConsultService>();
        builder.Services.AddSingleton<CapabilityStatementProvider>();
        builder.Services.AddSingleton<RequestBodyReader>();

        builder.Services.AddScoped<IResourceStore, EfResourceStore>();
        builder.Services.AddScoped<IReferralStore, EfReferralStore>();
        builder.Services.AddScoped<IPartnerDirectory, EfPartnerDirectory>();
        builder.Services.AddScoped<IAuditTrail, EfAuditTrail>();
        builder.Services.AddScoped<IAuditQuery, EfAuditQuery>();
        builder.Services.AddScoped<AuditEventService>();
        // Resolved on first use, within a request: the public base URL is known by then.
        builder.Services.AddSingleton(sp => GatewayDevice.AuditServer(sp.GetRequiredService<PublicBaseUrl>()));
        builder.Services.AddScoped<AuditCheckpointer>();
        builder.Services.AddSingleton(CheckpointSignerLease.ForThisProcess(
            (builder.Configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions()).CheckpointSignerLease));
        builder.Services.AddScoped<IAuditLogTree, EfAuditLogTree>();
        builder.Services.AddScoped<AuditProofService>();
        builder.Services.AddScoped<AuditLogReader>();
        builder.Services.AddScoped<AuditVerificationService>();
        var auditOptions = builder.Configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        builder.Services.Configure<AuditOptions>(builder.Configuration.GetSection(AuditOptions.Section));
        builder.Services.AddSingleton(services => new ReferralExchange.Core.Audit.Checkpoints.CheckpointOrigin(() =>
            auditOptions.CheckpointOrigin ?? ReferralExchange.Core.Audit.Checkpoints.CheckpointOrigin.FromBaseUrl(services.GetRequiredService<PublicBaseUrl>().Root)));
        // Created at start-up: a misconfigured or unreachable signer stops the gateway here, not at the first checkpoint.
        builder.Services.AddSingleton(StartupCheck.Run("Gateway:Audit:Signer, Gateway:Audit:LocalKeyPath, Gateway:Audit:KeyVault", "The audit signer cannot be created",
            () => AuditSignerFactory.CreateAsync(auditOptions, paths, CancellationToken.None).GetAwaiter().GetResult()));
        builder.Services.AddHostedService<AuditCheckpointWorker>();
        AuditWitnessing.Add(builder, paths, useDatabase);
        builder.Services.AddScoped<PartnerSeeder>();
        builder.Services.AddScoped<ClientAssertionReplayGuard>();
        builder.Services.AddScoped<ReferralSubmissionService>();
        builder.Services.AddScoped<ResourceReader>();
        builder.Services.AddScoped<TaskSearchService>();
        builder.Services.AddScoped<ResourceSearchService>();
        builder.Services.AddScoped<SearchDisclosure>();
        builder.Services.AddScoped<TaskIncludes>();
        builder.Services.AddScoped<TypeHistoryReader>();
        builder.Services.AddSingleton(new SearchCursorSigner(SearchCursorKeyFile.LoadOrCreate(Path.Combine(paths.DataDirectory, SearchCursorKeyFile.FileName))));
        builder.Services.AddScoped<TaskUpdateService>();
        builder.Services.AddScoped<TaskClaimService>();
        builder.Services.AddScoped<ProcedureService>();
        builder.Services.AddSingleton<DeliveredServiceCodes>();
        builder.Services.AddSingleton<RequesterTaskWrite>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Gateway:Tracking").Get<TrackingThresholds>() ?? new TrackingThresholds());
        builder.Services.AddScoped<ReferralTrackingService>();
        builder.Services.AddScoped<INotificationStore, EfNotificationStore>();
        builder.Services.AddScoped<SubscriptionService>();
        builder.Services.AddScoped<NotificationDispatchService>();
        builder.Services.AddScoped<NotificationRedriveService>();
        var notifications = builder.Configuration.GetSection("Gateway:Notifications").Get<NotificationOptions>() ?? new NotificationOptions();
        notifications.Validate();
        builder.Services.AddSingleton(notifications);
        // Real time in production; a test may replace it to run the outbox on simulated time (ADR 0014).
        builder.Services.AddSingleton(new NotificationClock(time));
        builder.Services.AddSingleton(NotificationLeaseOwner.ForThisProcess());
        if (certificates.OutboundClient is { } outboundClient)
        {
            builder.Services.AddNotificationSender(outboundClient, certificates.OutboundAnchors,
                builder.Configuration.GetSection("Gateway:Outbound").Get<OutboundOptions>() ?? new OutboundOptions(), notifications);
        }
        else
        {
            builder.Services.AddSingleton<INotificationSender>(_ => throw new InvalidOperationException("Gateway:OutboundClientCertificatePath is required to send notifications"));
        }
        builder.Services.AddHostedService<NotificationWorker>();
        builder.Services.AddScoped<OutcomeReportService>();

        builder.AddOAuth(options, paths, certificates);
        builder.Services.AddAuthentication().AddPartnerCertificate(certificates.Trust);
        KestrelMutualTls.Configure(builder, options, certificates.Server, certificates.Trust, registry);
        return builder;
    }

    /// <summary>Creates and migrates the database and registers the seed partners before the first request.</summary>
    public static async Task InitializeGatewayAsync(this WebApplication app)
    {
        PublicHosting.Report(app);
        // Snapshots and schemas are made once, not inside each request (ADR 0016), on a thread of
        // their own beside the steps below and the first requests (ADR 0026): submissions that
        // arrive first wait for them. A warm-up that fails leaves the gateway unready
        // (ValidatorWarmUpHealthCheck) and every validation answering with its failure.
        var validator = app.Services.GetRequiredService<WarmValidator>();
        var logger = app.Logger;
        _ = validator.WarmUp.ContinueWith(warmUp =>
        {
            if (warmUp.IsFaulted)
            {
                logger.LogCritical("The profiles cannot be compiled for validation ({Error}): submissions fail until Gateway:ProfilesDirectory is mended and the gateway restarted", warmUp.Exception.InnerException?.GetType().Name);
                return;
            }
            logger.LogInformation("Profile validator ready (warm-up {WarmUpMs} ms)", (long)warmUp.Result.TotalMilliseconds);
            // Start-up and the warm-up (migration, trigger and tree checks, the validator's snapshots
            // and schemas) leave hundreds of megabytes of garbage that the workstation GC would
            // otherwise keep committed for the life of the process: collect and decommit it once.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }, TaskScheduler.Default);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        await StartupCheck.RunAsync("Gateway:DataDirectory, Gateway:DatabaseFile, Gateway:Database:ConnectionString, Gateway:Database:MigrationConnectionString", $"The database cannot be opened and migrated",
            () => DatabaseMigration.RunAsync(db, scope.ServiceProvider.GetRequiredService<DatabaseOptions>(), CancellationToken.None));
        // The file just migrated is the one every later commit must still be writing to (issue 13 §2).
        scope.ServiceProvider.GetService<DatabaseFileGuard>()?.Capture();
        // Missing or changed append-only triggers are evidence of tampering (ADR 0012): refuse to
        // run on such a database until an operator has looked and run rx audit repair-triggers.
        if (await AppendOnlyTriggers.FindingsAsync(db, CancellationToken.None) is { Count: > 0 } tampering)
        {
            throw new GatewayStartupException($"the audit trail's protection was tampered with: {string.Join("; ", tampering)}. Investigate (rx audit verify --resources), then run rx audit repair-triggers");
        }
        DataAtRest.Check(scope.ServiceProvider.GetRequiredService<GatewayPaths>(), app.Logger);
        await AuditWitnessing.StartAsync(app.Services, app.Logger, CancellationToken.None);
        // A database from before the access index (ADR 0009) gets its index built once, before any search.
        await scope.ServiceProvider.GetRequiredService<TaskAccessRebuilder>().RebuildIfEmptyAsync(CancellationToken.None);
        var certificates = scope.ServiceProvider.GetRequiredService<GatewayCertificates>();
        var seed = scope.ServiceProvider.GetRequiredService<PartnerSeedFile>();
        await scope.ServiceProvider.GetRequiredService<PartnerSeeder>().SeedAsync(seed, certificates.PartnerCertificates, CancellationToken.None);
        await ReferralExchange.Infrastructure.Partners.OAuthClientRegistration.RegisterAsync(scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>(),
            certificates.PartnerCertificates, CancellationToken.None);
    }
}
