using System.Text.Json;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>The partner seed file (<c>partners.json</c>): the organisations a fresh gateway knows.</summary>
public sealed record PartnerSeedFile(IReadOnlyList<PartnerSeed> Partners)
{
    public static PartnerSeedFile Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<PartnerSeedFile>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException($"{path} is empty");
    }
}

/// <param name="Kind">A partner-kind code: police-social-work, behavioral-health, housing, veterans.</param>
/// <param name="NotificationEndpoints">https URLs (or origins) its Subscriptions may notify; their origins are registered.</param>
/// <param name="Certificates">PEM certificate files to register (production); in development one is issued per partner.</param>
/// <param name="Purposes">Purposes of use it may assert, within its kind's (purpose-of-use.json); none: all of its kind's.</param>
public sealed record PartnerSeed(string Id, string Name, string Kind, IReadOnlyList<string>? NotificationEndpoints = null,
    IReadOnlyList<string>? Certificates = null, IReadOnlyList<string>? Purposes = null);
