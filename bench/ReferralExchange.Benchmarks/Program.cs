using System.CommandLine;
using ReferralExchange.Benchmarks;

// Load benchmark over mutual TLS: the real gateway (SQLite, in-process Kestrel) beside a bare
// Kestrel mTLS endpoint in the same run, so every figure is also a ratio to "TLS + HTTP alone".
var connections = new Option<int>("--connections") { Description = "Concurrent connections (one client certificate each)", DefaultValueFactory = _ => 8 };
var duration = new Option<int>("--duration") { Description = "Measured seconds per scenario", DefaultValueFactory = _ => 10 };
var warmup = new Option<int>("--warmup") { Description = "Warm-up seconds per scenario", DefaultValueFactory = _ => 3 };
var seed = new Option<int>("--seed-referrals") { Description = "Referrals in the inbox before reads are measured", DefaultValueFactory = _ => 200 };

var root = new RootCommand("Referral Exchange load benchmark (mutual TLS)") { connections, duration, warmup, seed };
root.SetAction(async (parse, ct) =>
{
    var settings = new BenchmarkSettings(parse.GetValue(connections), TimeSpan.FromSeconds(parse.GetValue(duration)),
        TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(seed));
    await BenchmarkRun.ExecuteAsync(settings, ct);
    return 0;
});
var records = new Option<int>("--records") { Description = "Audit records to write and verify", DefaultValueFactory = _ => 1_000_000 };
var auditVerify = new Command("audit-verify", "Time audit trail verification over a million records") { records };
auditVerify.SetAction(async (parse, ct) =>
{
    await AuditVerificationBenchmark.ExecuteAsync(parse.GetValue(records), ct);
    return 0;
});
root.Subcommands.Add(auditVerify);
var decisions = new Option<int>("--iterations") { Description = "Decisions to time", DefaultValueFactory = _ => 1_000_000 };
var consentDecision = new Command("consent-decision", "Time a warm consent decision and the shaping of a labelled resource") { decisions };
consentDecision.SetAction(parse =>
{
    ConsentDecisionBenchmark.Execute(parse.GetValue(decisions));
    return 0;
});
root.Subcommands.Add(consentDecision);
var hashChecks = new Option<int>("--iterations") { Description = "Hash checks to time per size", DefaultValueFactory = _ => 200_000 };
var resourceHash = new Command("resource-hash", "Time the per-read integrity check of a stored resource version (ADR 0012)") { hashChecks };
resourceHash.SetAction(parse =>
{
    ResourceHashBenchmark.Execute(parse.GetValue(hashChecks));
    return 0;
});
root.Subcommands.Add(resourceHash);
var validationReferrals = new Option<int>("--referrals") { Description = "Referrals to validate", DefaultValueFactory = _ => 2_000 };
var validation = new Command("validation", "Firely validator cost: build, first call per type, per referral and per Task PUT (p50/p99)") { validationReferrals };
validation.SetAction(parse =>
{
    ValidationBenchmark.Execute(parse.GetValue(validationReferrals));
    return 0;
});
root.Subcommands.Add(validation);
var notifyReferrals = new Option<int>("--referrals") { Description = "Referrals to submit", DefaultValueFactory = _ => 200 };
var subscribers = new Option<int>("--subscribers-per-partner") { Description = "Subscriptions each of the two partners holds", DefaultValueFactory = _ => 2 };
var delay = new Option<int>("--partner-delay-ms") { Description = "How long the partner endpoint takes to answer", DefaultValueFactory = _ => 100 };
var notifications = new Command("notifications", "Time notification fan-out to slow partner endpoints over mutual TLS") { notifyReferrals, subscribers, delay };
notifications.SetAction(async (parse, ct) =>
{
    await NotificationBenchmark.ExecuteAsync(parse.GetValue(notifyReferrals), parse.GetValue(subscribers), parse.GetValue(delay), ct);
    return 0;
});
root.Subcommands.Add(notifications);
var handshakeSeconds = new Option<int>("--seconds") { Description = "Seconds per scenario", DefaultValueFactory = _ => 5 };
var handshakes = new Command("handshakes", "Mutual-TLS handshake cost: kept, resumable and full handshakes, one connection at a time") { handshakeSeconds };
handshakes.SetAction(async (parse, ct) =>
{
    await HandshakeBenchmark.ExecuteAsync(parse.GetValue(handshakeSeconds), ct);
    return 0;
});
root.Subcommands.Add(handshakes);
root.Subcommands.Add(ReferralExchange.Benchmarks.Seeding.SeedCommand.Create());
root.Subcommands.Add(ReferralExchange.Benchmarks.Outside.OutsideCommand.Create());
root.Subcommands.Add(ReferralExchange.Benchmarks.Outside.GrowthCommand.Create());
root.Subcommands.Add(ReferralExchange.Benchmarks.Outside.BareCommand.Create());
root.Subcommands.Add(ReferralExchange.Benchmarks.AuditThroughput.AuditThroughputCommand.Create());
root.Subcommands.Add(ReferralExchange.Benchmarks.Soak.SoakCommand.Create());
root.Subcommands.Add(ReferralExchange.Benchmarks.Replicas.ReplicasCommand.Create());
return await root.Parse(args).InvokeAsync();
