using Microsoft.AspNetCore.Hosting.Server;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Registers the public base URL and the Host header check, and takes out ASP.NET Core's own host
/// filtering: it would refuse the same names first, with a plain-text 400 instead of an
/// OperationOutcome (every error is one, FHIR R4 §3.1.0.4).
/// </summary>
public static class PublicHosting
{
    public static void Add(WebApplicationBuilder builder, GatewayOptions options)
    {
        PublicBaseUrl.Validate(options);
        builder.Services.AddSingleton(services => PublicBaseUrl.Create(options, services.GetRequiredService<IServer>()));
        builder.Services.AddSingleton(services => HostHeaderPolicy.FromConfiguration(services.GetRequiredService<PublicBaseUrl>(), builder.Configuration, options));
        var builtIn = builder.Services.Where(d => d.ServiceType == typeof(IStartupFilter) && d.ImplementationType?.Name == "HostFilteringStartupFilter").ToList();
        foreach (var descriptor in builtIn)
        {
            builder.Services.Remove(descriptor);
        }
    }

    /// <summary>At start: say so when the Host check is off, and where links point.</summary>
    public static void Report(WebApplication app)
    {
        var policy = app.Services.GetRequiredService<HostHeaderPolicy>();
        if (policy.AcceptsAnyHost)
        {
            app.Logger.LogWarning("AllowedHosts is *: requests naming any Host are answered (links still use the public base URL)");
        }
    }
}
