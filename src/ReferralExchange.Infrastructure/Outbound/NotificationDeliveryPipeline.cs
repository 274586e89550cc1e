using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Infrastructure.Outbound;

/// <summary>
/// The per-attempt HTTP pipeline of notification delivery (Microsoft.Extensions.Http.Resilience):
/// a circuit breaker around an attempt timeout, one pipeline instance per endpoint authority (scheme,
/// host, port: the origin of RFC 6454 §4), so one dead partner's open circuit refuses its attempts at
/// once and costs the dispatcher nothing, while every other partner is served. There is no retry
/// strategy here on purpose: retries are durable state on the outbox row (ADR 0014), not a loop
/// that a restart would forget.
/// </summary>
public static class NotificationDeliveryPipeline
{
    public static IServiceCollection AddNotificationSender(this IServiceCollection services, X509Certificate2 clientCertificate,
        IReadOnlyList<X509Certificate2> trustAnchors, OutboundOptions outbound, NotificationOptions options)
    {
        services.AddHttpClient<INotificationSender, MutualTlsNotificationSender>(MutualTlsNotificationSender.ClientName, client =>
            {
                // The pipeline's attempt timeout decides; this outer bound only catches a pipeline misconfiguration.
                client.Timeout = options.AttemptTimeout + outbound.ConnectTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => MutualTlsNotificationSender.CreateHandler(clientCertificate, trustAnchors, outbound))
            .AddResilienceHandler("notification-delivery", (pipeline, context) =>
                Configure(pipeline, options, context.ServiceProvider.GetRequiredService<NotificationClock>().Time))
            .SelectPipelineByAuthority();
        return services;
    }

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, NotificationOptions options, TimeProvider time)
    {
        // Break durations and attempt timeouts run on the outbox's clock, as its schedule does.
        pipeline.TimeProvider = time;
        pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                // The defaults (5xx, 408, 429, connection errors, attempt timeouts) count as failures.
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
            })
            .AddTimeout(options.AttemptTimeout);
    }
}
