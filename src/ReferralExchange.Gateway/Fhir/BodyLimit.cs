using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>What an endpoint's body is, and so how large it may be (issue 13 §3: bounded input, bounded work).</summary>
public enum BodyKind
{
    /// <summary>A whole referral: a transaction Bundle or a native referral (<c>Gateway:MaxRequestBodyBytes</c>).</summary>
    Submission,
    /// <summary>One resource: a Task update, a Procedure, a Subscription (<c>Gateway:MaxResourceBodyBytes</c>).</summary>
    Resource,
}

/// <summary>Endpoint metadata naming the body an endpoint reads; <see cref="RequestBodyReader"/> applies its limit.</summary>
public sealed record BodyLimit(BodyKind Kind)
{
    public long BytesFor(GatewayOptions options) => Kind switch
    {
        // A single resource never needs more than a whole referral may have.
        BodyKind.Resource => Math.Min(options.MaxResourceBodyBytes, options.MaxRequestBodyBytes),
        _ => options.MaxRequestBodyBytes,
    };
}

public static class BodyLimitExtensions
{
    public static TBuilder WithBody<TBuilder>(this TBuilder endpoint, BodyKind kind) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new BodyLimit(kind));
}
