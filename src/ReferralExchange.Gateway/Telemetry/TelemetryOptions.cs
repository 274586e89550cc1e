namespace ReferralExchange.Gateway.Telemetry;

/// <summary>
/// The <c>Gateway:Telemetry</c> section (docs/observability.md). Telemetry is off unless an OTLP
/// endpoint is configured, here or with the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Gateway:Telemetry";

    /// <summary>Forces the OpenTelemetry pipeline on (true) or off (false); unset: on when an endpoint is configured.</summary>
    public bool? Enabled { get; set; }

    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c>; overrides <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default, port 4317) or <c>http/protobuf</c> (port 4318); overrides <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>The <c>service.name</c> resource attribute, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public string ServiceName { get; set; } = "referral-exchange-gateway";
}
