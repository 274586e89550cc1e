using Hl7.Fhir.Model;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>The store owns versions: it writes meta.versionId and meta.lastUpdated into each version it keeps.</summary>
internal static class ResourceStamp
{
    public static void Apply(Resource resource, int version, DateTimeOffset lastUpdated)
    {
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = Truncate(lastUpdated);
    }

    public static string Labels(Resource resource) =>
        string.Join(' ', resource.Meta?.Security.Select(c => c.Code).Where(c => !string.IsNullOrEmpty(c)) ?? []);

    /// <summary>Millisecond precision keeps the stored ticks, _lastUpdated comparisons and the JSON instant in step.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - instant.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
