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
/// <param name="Certificates">PEM certificate files to register (production); in development one is issued per partner.</param>
public sealed record PartnerSeed(string Id, string Name, string Kind, string? NotificationEndpoint = null, IReadOnlyList<string>? Certificates = null);
