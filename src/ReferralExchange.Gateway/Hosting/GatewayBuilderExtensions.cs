using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Profiles;
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
        var paths = new GatewayPaths(builder.Environment.ContentRootPath, options);
        DataAtRest.Prepare(paths, DatabaseSetup.IsSqlite(options.DatabaseProvider));

        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With(new Logging.RawPathRemovingEnricher())
            // The console is written from a background thread: a request never waits for a log line.
            .WriteTo.Async(sink => sink.Console(new CompactJsonFormatter())),
            preserveStaticLogger: true);

        var time = TimeProvider.System;
        var seed = PartnerSeedFile.Load(paths.PartnersFile);
        var certificates = GatewayCertificates.Prepare(options, paths, seed, time);

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(seed);
        builder.Services.AddSingleton(certificates);
        builder.Services.AddSingleton(certificates.Trust);
        PublicHosting.Add(builder, options);

        Action<DbContextOptionsBuilder> useDatabase = DatabaseSetup.IsSqlite(options.DatabaseProvider)
            ? db => db.UseGatewaySqlite(paths.DatabasePath)
            : db => db.UseGatewaySqlServer(options.ConnectionString ?? throw new InvalidOperationException("Gateway:ConnectionString is required for sqlserver"));
        builder.Services.AddDbContext<GatewayDbContext>(useDatabase);
        builder.Services.AddSingleton(DatabaseSetup.IsSqlite(options.DatabaseProvider) ? WriteGate.SingleWriter() : WriteGate.None());
        // One writer for every request's unit of work (ADR 0010); its contexts see the same interceptors as the request's.
        builder.Services.AddSingleton(services =>
        {
            var commitOptions = new DbContextOptionsBuilder<GatewayDbContext>();
            useDatabase(commitOptions);
            commitOptions.AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
            var built = commitOptions.Options;
            return new GroupCommit(() => new GatewayDbContext(built), services.GetRequiredService<WriteGate>(),
                services.GetRequiredService<ILogger<GroupCommit>>());
        });
        var registry = new CertificateRegistry(() =>
        {
            var registryOptions = new DbContextOptionsBuilder<GatewayDbContext>();
            useDatabase(registryOptions);
            return new GatewayDbContext(registryOptions.Options);
        });

        builder.Services.AddSingleton(ProfilePackage.Load(paths.ProfilesDirectory));
        builder.Services.AddSingleton<ProfileValidator>();
        builder.Services.AddSingleton(CategoryRouting.Default);
        builder.Services.AddSingleton<NativeReferralValidator>();
        builder.Services.AddSingleton<ReferralTranslator>();
        builder.Services.AddSingleton<TransactionBundleReader>();
        builder.Services.AddSingleton(LabelingRules.Default);
        builder.Services.AddSingleton(MinimumNecessaryRules.Default);
        builder.Services.AddSingleton<MinimumNecessaryShaper>();
        builder.Services.AddSingleton<SecurityLabeler>();
        builder.Services.AddSingleton<ConsentPolicyCache>();
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
        builder.Services.AddScoped<IAuditLogTree, EfAuditLogTree>();
        builder.Services.AddScoped<AuditProofService>();
        builder.Services.AddScoped<AuditLogReader>();
        builder.Services.AddScoped<AuditVerificationService>();
        var auditOptions = builder.Configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        builder.Services.Configure<AuditOptions>(builder.Configuration.GetSection(AuditOptions.Section));
        builder.Services.AddSingleton(services => new ReferralExchange.Core.Audit.Checkpoints.CheckpointOrigin(() =>
            auditOptions.CheckpointOrigin ?? ReferralExchange.Core.Audit.Checkpoints.CheckpointOrigin.FromBaseUrl(services.GetRequiredService<PublicBaseUrl>().Root)));
        // Created at start-up: a misconfigured or unreachable signer stops the gateway here, not at the first checkpoint.
        builder.Services.AddSingleton(AuditSignerFactory.CreateAsync(auditOptions, paths, CancellationToken.None).GetAwaiter().GetResult());
        builder.Services.AddHostedService<AuditCheckpointWorker>();
        builder.Services.AddScoped<PartnerSeeder>();
        builder.Services.AddScoped<ClientAssertionReplayGuard>();
        builder.Services.AddScoped<ReferralSubmissionService>();
        builder.Services.AddScoped<ResourceReader>();
        builder.Services.AddScoped<TaskSearchService>();
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
        builder.Services.AddSingleton(builder.Configuration.GetSection("Gateway:Notifications").Get<NotificationOptions>() ?? new NotificationOptions());
        builder.Services.AddSingleton<INotificationSender>(_ => new MutualTlsNotificationSender(
            certificates.OutboundClient ?? throw new InvalidOperationException("Gateway:OutboundClientCertificatePath is required to send notifications"),
            certificates.OutboundAnchors,
            builder.Configuration.GetSection("Gateway:Outbound").Get<OutboundOptions>() ?? new OutboundOptions()));
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
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
        DataAtRest.Check(scope.ServiceProvider.GetRequiredService<GatewayPaths>(), app.Logger);
        // A database from before the access index (ADR 0009) gets its index built once, before any search.
        await scope.ServiceProvider.GetRequiredService<TaskAccessRebuilder>().RebuildIfEmptyAsync(CancellationToken.None);
        var certificates = scope.ServiceProvider.GetRequiredService<GatewayCertificates>();
        var seed = scope.ServiceProvider.GetRequiredService<PartnerSeedFile>();
        await scope.ServiceProvider.GetRequiredService<PartnerSeeder>().SeedAsync(seed, certificates.PartnerCertificates, CancellationToken.None);
        await ReferralExchange.Infrastructure.Partners.OAuthClientRegistration.RegisterAsync(scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>(),
            certificates.PartnerCertificates, CancellationToken.None);
    }
}
