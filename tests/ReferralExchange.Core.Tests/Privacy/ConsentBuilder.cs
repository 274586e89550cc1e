using ReferralExchange.Core.Privacy;

namespace ReferralExchange.Core.Tests.Privacy;

/// <summary>Terse consents for decision tests.</summary>
internal static class ConsentBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static ConsentProvision Permit(string[]? actors = null, string[]? purposes = null, string[]? classes = null, string[]? labels = null,
        DateTimeOffset? start = null, DateTimeOffset? end = null, params ConsentProvision[] exceptions) =>
        new(true, start ?? Now.AddDays(-30), end ?? Now.AddDays(180), actors ?? ["bh"], purposes ?? ["TREAT"],
            classes ?? ["referral", "demographics", "mental-health"], labels ?? [], exceptions);

    public static ConsentProvision Deny(string[]? actors = null, string[]? purposes = null, string[]? classes = null, string[]? labels = null,
        DateTimeOffset? start = null, DateTimeOffset? end = null, params ConsentProvision[] exceptions) =>
        new(false, start, end, actors ?? [], purposes ?? [], classes ?? [], labels ?? [], exceptions);

    public static ConsentPolicy Consent(ConsentProvision provision, bool active = true, int daysAgo = 3, string patient = "p1", DateTimeOffset? irrevocableUntil = null) =>
        new($"c-{Guid.NewGuid():N}"[..10], active, Now.AddDays(-daysAgo), patient, provision, irrevocableUntil);

    public static DataRequest Ask(string recipient = "bh", string purpose = "TREAT", string[]? classes = null, string[]? labels = null,
        string[]? elementLabels = null, string[]? elementClasses = null, string patient = "p1", DateTimeOffset? at = null) =>
        new(patient, recipient, purpose, classes ?? ["referral"], labels ?? [], at ?? Now)
        {
            ElementLabels = elementLabels ?? [],
            ElementClasses = elementClasses ?? [],
        };
}
