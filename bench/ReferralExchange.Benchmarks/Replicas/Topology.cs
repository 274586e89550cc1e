using System.Globalization;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary>One configuration the bench compares: a database provider and how many gateway replicas (more than one: behind HAProxy).</summary>
public sealed record Topology(string Provider, int Replicas)
{
    public bool Balanced => Replicas > 1;
    public override string ToString() => $"{Provider}, {Replicas} replica{(Replicas == 1 ? "" : "s")}{(Balanced ? " + HAProxy" : "")}";

    /// <summary>Parses <c>sqlite/1,postgresql/1,postgresql/2</c>.</summary>
    public static IReadOnlyList<Topology> ParseList(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(t => t.Split('/'))
        .Select(p => new Topology(p[0].ToLowerInvariant() switch
        {
            "sqlite" => "sqlite",
            "postgresql" or "postgres" => "postgresql",
            var other => throw new ArgumentException($"unknown provider '{other}' (sqlite or postgresql)"),
        }, p.Length > 1 ? int.Parse(p[1], CultureInfo.InvariantCulture) : 1))
        .Select(t => t.Replicas is >= 1 and <= 2 && (t.Replicas == 1 || t.Provider == "postgresql")
            ? t : throw new ArgumentException($"{t}: 1 or 2 replicas, and 2 only on postgresql (SQLite is one process's file)"))
        .ToList();
}
