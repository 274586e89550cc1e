using System.Diagnostics;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Routing;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// The cost of Firely's validator (ADR 0016): building it (spec zip index, snapshots of our
/// profiles), the first validation of each type (schema compilation, the warm-up the gateway does
/// at start), then per referral (the five resources a native submission emits) and per Task PUT.
/// Wall time and process CPU time both, since the development machines are shared.
/// </summary>
public static class ValidationBenchmark
{
    public static void Execute(int referrals)
    {
        var cpu = Stopwatch.StartNew();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        string Since() => $"{cpu.Elapsed.TotalMilliseconds,8:0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds,8:0} ms CPU";
        void Restart() { cpu.Restart(); cpuStart = Process.GetCurrentProcess().TotalProcessorTime; }

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var directory = ProfilePackage.Locate(AppContext.BaseDirectory);
        var validator = ProfileValidator.ForProfiles(directory);
        Console.WriteLine($"build (spec index, snapshots of profiles/):        {Since()}");

        var translator = new ReferralTranslator(CategoryRouting.Default);
        var psw = new Partner("psw-metro", "Metro PSW", PartnerKind.PoliceSocialWork, PartnerStatus.Active);
        var partners = new Dictionary<string, Partner>
        {
            ["psw-metro"] = psw,
            ["bh-riverside"] = new("bh-riverside", "Riverside BH", PartnerKind.BehavioralHealth, PartnerStatus.Active),
        };
        var sample = translator.Translate(Sample(), psw, partners, DateTimeOffset.UtcNow);
        foreach (var resource in sample.All())
        {
            Restart();
            var issues = validator.Validate(resource);
            Console.WriteLine($"first {resource.TypeName,-18} ({issues.Count} issues):          {Since()}");
        }

        for (var i = 0; i < 20; i++) Validate(validator, translator, psw, partners);
        var perReferral = new List<double>(referrals);
        var perTask = new List<double>(referrals);
        var clock = new Stopwatch();
        Restart();
        for (var i = 0; i < referrals; i++)
        {
            var resources = translator.Translate(Sample(), psw, partners, DateTimeOffset.UtcNow);
            clock.Restart();
            foreach (var resource in resources.All()) validator.Validate(resource);
            perReferral.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            validator.Validate(resources.Task);
            perTask.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"{referrals} referrals validated:                       {Since()}");
        // What the validator keeps (the spec's conformance resources it resolved, snapshots, compiled schemas): the soak's GC heap floor.
        GC.KeepAlive(validator);
        Console.WriteLine($"managed heap held by the warmed validator: {(GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / 1048576.0:0.0} MB");
        Report("per referral (Patient, ServiceRequest, Consent, Task, PractitionerRole)", perReferral);
        Report("per Task PUT (one Task)", perTask);
    }

    private static void Validate(ProfileValidator validator, ReferralTranslator translator, Partner psw, Dictionary<string, Partner> partners)
    {
        foreach (var resource in translator.Translate(Sample(), psw, partners, DateTimeOffset.UtcNow).All()) validator.Validate(resource);
    }

    private static void Report(string what, List<double> ms)
    {
        var stats = LatencyStats.From(what, ms, 0, TimeSpan.Zero);
        Console.WriteLine($"{what}: p50 {stats.P50Ms:0.00} ms, p99 {stats.P99Ms:0.00} ms, mean {ms.Average():0.00} ms over {ms.Count}");
    }

    private static NativeReferral Sample() => new()
    {
        ReferralId = "R-" + Guid.NewGuid().ToString("N")[..10],
        Person = new NativePerson
        {
            PersonId = "P-1", GivenNames = ["Alex"], FamilyName = "Example", BirthDate = "1980-04-02", Gender = "other", Phone = "+1-555-0100",
            Address = new NativeAddress { Lines = ["12 Larch Road"], City = "Springfield", PostalCode = "01101" },
        },
        Needs = [new NativeNeed { Category = "mental-health", Description = "Follow-up after a crisis call" }],
        Urgency = "urgent",
        Narrative = "Synthetic referral narrative.",
        SafeContactInstructions = "Call the shelter front desk.",
        ReferringWorker = new NativeWorker { WorkerId = "W-17", Name = "Jordan Caseworker" },
        Recipient = "bh-riverside",
        Consent = new NativeConsent
        {
            Recipients = ["bh-riverside"], Purposes = ["TREAT", "CAREMGT"], DataClasses = ["demographics", "contact", "referral", "mental-health", "substance-use"],
            SignedOn = "2026-11-20T14:00:00Z", ExpiresOn = "2027-05-20", FormReference = "https://psw-metro.example/forms/RF-77",
        },
    };
}
