using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Reports;

/// <summary>
/// Program outcomes for the operator, per receiving partner, need category and month: referrals
/// sent, accepted, rejected, completed, and the median hours to accept and to complete.
/// De-identified (counts only) with small cells suppressed: any count from 1 to 10, and any median
/// over fewer than 11 referrals, is withheld, as public-health reporting practice asks.
/// </summary>
public sealed class OutcomeReportService(IResourceStore store, IAuditTrail audit, TimeProvider time)
{
    public const int SmallCell = 11;

    public sealed record Row(string Partner, string Category, string Month, Cell Sent, Cell Accepted, Cell Rejected, Cell Completed,
        double? MedianHoursToAccept, double? MedianHoursToComplete);

    /// <summary>A count, or null when suppressed (1–10).</summary>
    public sealed record Cell(int? Count)
    {
        public bool Suppressed => Count is null;

        public override string ToString() => Count?.ToString(CultureInfo.InvariantCulture) ?? $"<{SmallCell}";

        public static Cell Of(int count) => new(count is > 0 and < SmallCell ? null : count);
    }

    public async Task<IReadOnlyList<Row>> BuildAsync(Caller caller, CancellationToken ct)
    {
        var timelines = TaskTimeline.From(await store.TaskHistoriesAsync(null, ct));
        var focusIds = timelines.Select(t => t.Focus).OfType<string>().Where(f => f.StartsWith("ServiceRequest/", StringComparison.Ordinal))
            .Select(f => f["ServiceRequest/".Length..]).Distinct().ToList();
        var categories = (await store.ReadManyAsync("ServiceRequest", focusIds, ct))
            .ToDictionary(s => $"ServiceRequest/{s.Id}", s => ((ServiceRequest)FhirJson.ParseStored(s.Json)).Category
                .SelectMany(c => c.Coding).Where(c => c.System == FhirUris.ReferralCategory).Select(c => c.Code).OfType<string>().ToList());

        var rows = timelines
            .SelectMany(t => (t.Focus is { } f && categories.TryGetValue(f, out var cats) ? cats : ["unknown"]).Select(c => (Timeline: t, Category: c)))
            .GroupBy(x => (Partner: x.Timeline.Owner?.Replace("Organization/", string.Empty) ?? "(open)", x.Category, Month: x.Timeline.AuthoredOn.ToString("yyyy-MM", CultureInfo.InvariantCulture)))
            .OrderBy(g => g.Key.Partner).ThenBy(g => g.Key.Category).ThenBy(g => g.Key.Month)
            .Select(g =>
            {
                var list = g.Select(x => x.Timeline).ToList();
                var toAccept = list.Select(t => t.FirstReached("accepted") - t.AuthoredOn).OfType<TimeSpan>().ToList();
                var toComplete = list.Select(t => t.FirstReached("completed") - t.AuthoredOn).OfType<TimeSpan>().ToList();
                return new Row(g.Key.Partner, g.Key.Category, g.Key.Month,
                    Cell.Of(list.Count),
                    Cell.Of(toAccept.Count),
                    Cell.Of(list.Count(t => t.Status == "rejected")),
                    Cell.Of(list.Count(t => t.Status == "completed")),
                    Median(toAccept), Median(toComplete));
            })
            .ToList();
        await audit.RecordAsync(AuditRecord.For(caller, AuditActions.Search, AuditOutcome.Success, time.GetUtcNow()) with { Detail = "outcome report (de-identified)" }, ct);
        return rows;
    }

    public static string ToCsv(IEnumerable<Row> rows)
    {
        var csv = new StringBuilder("partner,category,month,sent,accepted,rejected,completed,median_hours_to_accept,median_hours_to_complete\n");
        foreach (var r in rows)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Partner},{r.Category},{r.Month},{r.Sent},{r.Accepted},{r.Rejected},{r.Completed},{Format(r.MedianHoursToAccept)},{Format(r.MedianHoursToComplete)}\n");
        }
        return csv.ToString();
    }

    private static string Format(double? hours) => hours?.ToString("0.0", CultureInfo.InvariantCulture) ?? "suppressed";

    private static double? Median(List<TimeSpan> values)
    {
        if (values.Count < SmallCell)
        {
            return null;
        }
        var sorted = values.Select(v => v.TotalHours).Order().ToList();
        var mid = sorted.Count / 2;
        return Math.Round(sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 1);
    }
}
