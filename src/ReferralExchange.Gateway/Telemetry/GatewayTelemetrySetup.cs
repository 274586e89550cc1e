using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Telemetry;

namespace ReferralExchange.Gateway.Telemetry;

/// <summary>
/// OpenTelemetry for the gateway (issue 15 §7, docs/observability.md): ASP.NET Core and HttpClient
/// spans and metrics, the gateway's own source and meter, the PHI scrubber ahead of every exporter,
/// and the OTLP exporter when a collector is configured. Without one nothing is registered: no
/// listener, so the gateway's spans are never created and its counters cost a branch.
/// </summary>
public static class GatewayTelemetrySetup
{
    /// <summary>The tags request-duration histograms keep: the route template, never the path.</summary>
    private static readonly string[] ServerDurationTags = ["http.request.method", "http.response.status_code", "http.route", "url.scheme", "error.type", "network.protocol.version"];
    private static readonly string[] ClientDurationTags = ["http.request.method", "http.response.status_code", "server.address", "server.port", "url.scheme", "error.type"];

    public static void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditCheckpointLag>();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = options.OtlpEndpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!(options.Enabled ?? !string.IsNullOrWhiteSpace(endpoint)))
        {
            return;
        }

        var version = typeof(GatewayTelemetrySetup).Assembly.GetName().Version?.ToString();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? options.ServiceName, serviceVersion: version))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(GatewayTelemetry.Name)
                    .AddAspNetCoreInstrumentation(aspnet =>
                    {
                        // A load balancer probes every few seconds: that is not traffic worth a trace.
                        aspnet.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                        aspnet.RecordException = false;
                        aspnet.EnrichWithHttpResponse = (span, response) =>
                            span.SetTag(GatewayTelemetry.Tags.Partner, (response.HttpContext.Items["ReferralExchange.Partner"] as Partner)?.Id);
                    })
                    .AddHttpClientInstrumentation(http => http.RecordException = false)
                    // Before any exporter, so that none of them ever sees an unscrubbed span.
                    .AddProcessor(new PhiScrubbingProcessor());
                if (!string.IsNullOrWhiteSpace(endpoint))
                {
                    tracing.AddOtlpExporter(otlp => Point(otlp, options, "v1/traces"));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GatewayTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
                    .AddView("http.server.request.duration", new MetricStreamConfiguration { TagKeys = ServerDurationTags })
                    .AddView("http.client.request.duration", new MetricStreamConfiguration { TagKeys = ClientDurationTags });
                if (!string.IsNullOrWhiteSpace(endpoint))
                {
                    metrics.AddOtlpExporter(otlp => Point(otlp, options, "v1/metrics"));
                }
            });
    }

    /// <summary>
    /// <c>Gateway:Telemetry:*</c> wins over <c>OTEL_EXPORTER_OTLP_*</c> (which the exporter reads by
    /// itself). With http/protobuf the exporter uses a configured endpoint as given, so the signal's
    /// path is added here, as the environment variable would have it.
    /// </summary>
    private static void Point(OtlpExporterOptions otlp, TelemetryOptions options, string signalPath)
    {
        if (options.OtlpProtocol is { } protocol)
        {
            otlp.Protocol = protocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        }
        if (options.OtlpEndpoint is { } configured)
        {
            var root = new Uri(configured.EndsWith('/') ? configured : configured + "/");
            otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(root, signalPath) : new Uri(configured);
        }
    }
}
