using System.CommandLine;
using System.Diagnostics;
using Azure.Identity;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx audit verify</c>: recompute the chain, check every checkpoint signature, report the first
/// broken record and why; compare the checkpoints with every witness copy (<see cref="AuditWitnessOptions"/>);
/// report missing append-only triggers, and with <c>--resources</c> stored resource versions that
/// differ from their audit records (ADR 0012). Exit code 0 when intact, 2 when broken or tampered
/// with, 1 on usage or access errors.
/// </summary>
public static class AuditVerifyCommand
{
    public static Command Create(TextWriter output)
    {
        var database = new CliDatabase();
        var incremental = new Option<bool>("--incremental") { Description = "Only records since the checkpoint this verifier last verified (its --state), not the database's latest" };
        var signingKey = new Option<FileInfo>("--signing-key") { Description = "Local checkpoint key (PEM)", DefaultValueFactory = _ => new FileInfo("certs-dev/audit-signing.key") };
        var vault = new Option<string?>("--vault") { Description = "Azure Key Vault URI, when checkpoints are signed there" };
        var keyName = new Option<string>("--key") { Description = "Key Vault key name", DefaultValueFactory = _ => "audit-checkpoints" };
        var resources = new Option<bool>("--resources") { Description = "Also check every stored resource version against the audit record that wrote it" };

        var command = new Command("verify", "Verify the audit chain and its signed checkpoints") { database, incremental, signingKey, vault, keyName, resources };
        var witnessOptions = new AuditWitnessOptions();
        foreach (var option in witnessOptions.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, ct) =>
        {
            var databaseFile = database.Resolve(parse);
            if (databaseFile.Problem is { } problem)
            {
                await output.WriteLineAsync(problem);
                return 1;
            }
            var vaultUri = parse.GetValue(vault) is { } v ? new Uri(v) : null;
            var signer = await SignerAsync(vaultUri, parse.GetValue(keyName)!, parse.GetValue(signingKey)!, ct);
            if (signer is null)
            {
                await output.WriteLineAsync("No checkpoint key: give --signing-key (local) or --vault and --key (Key Vault)");
                return 1;
            }

            await using var db = databaseFile.Open();
            var witnessed = witnessOptions.Create(parse, databaseFile.File, signer);
            if (parse.GetValue(incremental) && witnessed?.StatePath is null)
            {
                // Never start from the database's own latest checkpoint: whoever can write the database chooses it.
                await output.WriteLineAsync("--incremental needs a witness or --state: where the checkpoint this verifier last verified is kept");
                return 1;
            }
            try
            {
                var watch = Stopwatch.StartNew();
                var report = await new AuditVerificationService(new AuditLogReader(db), signer, witnessed).VerifyAsync(parse.GetValue(incremental), ct);
                watch.Stop();
                await WriteAsync(output, report, watch.Elapsed);
                if (witnessed is null)
                {
                    await output.WriteLineAsync("No witness given or found beside the database: checkpoints were not compared with any witness copy (--witness-dir, --witness-blob-…)");
                }
                var triggers = await AuditProtectionChecks.TriggersAsync(db, output, ct);
                var covered = !parse.GetValue(resources) || await AuditProtectionChecks.ResourcesAsync(db, output, ct);
                return report.IsIntact && triggers && covered ? 0 : 2;
            }
            catch (Exception e) when (e is InvalidCastException or FormatException or InvalidOperationException or OverflowException or Microsoft.Data.Sqlite.SqliteException)
            {
                // The last line of defence: a database damaged beyond what the checks read row by row
                // (e.g. a checkpoint column re-typed) is still a broken trail, never a crash (exit 1).
                await output.WriteLineAsync($"BROKEN: the audit tables could not be read as written ({e.GetType().Name}); the database was changed outside the gateway");
                return 2;
            }
        });
        return command;
    }

    private static async Task<IKeySigner?> SignerAsync(Uri? vault, string keyName, FileInfo signingKey, CancellationToken ct)
    {
        if (vault is not null)
        {
            var signer = new KeyVaultSigner(new KeyVaultOptions { VaultUri = vault, KeyName = keyName }, new DefaultAzureCredential());
            await signer.InitializeAsync(ct);
            return signer;
        }
        // Verification must never create a key: a missing key file is an error, not a fresh start.
        return signingKey.Exists ? LocalKeySigner.LoadOrCreate(signingKey.FullName) : null;
    }

    private static async Task WriteAsync(TextWriter output, AuditVerificationReport report, TimeSpan elapsed)
    {
        var rate = report.RecordsChecked / Math.Max(elapsed.TotalMinutes, 1e-9);
        if (report.IsIntact)
        {
            await output.WriteLineAsync($"INTACT: {report.RecordsChecked} records and {report.CheckpointsChecked} signed checkpoints verified up to record {report.LastSequence} in {elapsed.TotalSeconds:0.00} s ({rate:0} records/min)");
        }
        else
        {
            await output.WriteLineAsync($"BROKEN at record {report.FirstBrokenSequence}: {report.Reason}");
            await output.WriteLineAsync($"{report.RecordsChecked} records verified before the break.");
        }
    }
}
