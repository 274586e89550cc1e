using System.CommandLine;
using Azure.Identity;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// The witness options of <c>rx audit verify</c> (issue 12 §4): which witness copies to compare the
/// database with, and where incremental runs keep the checkpoint they last verified. Without any,
/// the gateway's default witness is used when it exists: <c>audit-witness</c> beside the database's folder.
/// </summary>
public sealed class AuditWitnessOptions
{
    public Option<string[]> Directories { get; } = new("--witness-dir") { Description = "A directory witness (repeatable). Default: audit-witness beside the database's folder, if present", AllowMultipleArgumentsPerToken = false };
    public Option<string?> BlobConnectionString { get; } = new("--witness-blob-connection-string") { Description = "An Azure Blob witness: connection string (with --witness-blob-container)" };
    public Option<string?> BlobContainer { get; } = new("--witness-blob-container") { Description = "An Azure Blob witness: container name" };
    public Option<string?> BlobContainerUri { get; } = new("--witness-blob-container-uri") { Description = "An Azure Blob witness: container URI (SAS, or your Azure credentials)" };
    public Option<FileInfo?> State { get; } = new("--state") { Description = "Where --incremental keeps the checkpoint it last verified. Default: beside the first directory witness" };

    public IEnumerable<Option> All => [Directories, BlobConnectionString, BlobContainer, BlobContainerUri, State];

    /// <returns>The verification, or null when no witness is given and the default one does not exist.</returns>
    public WitnessedVerification? Create(ParseResult parse, FileInfo? database, IKeySigner signer)
    {
        var witnesses = new List<ICheckpointWitness>();
        var directories = parse.GetValue(Directories) ?? [];
        witnesses.AddRange(directories.Select(d => new DirectoryWitness(d)));
        var settings = new WitnessSettings
        {
            Type = WitnessSettings.AzureBlobType,
            ConnectionString = parse.GetValue(BlobConnectionString),
            Container = parse.GetValue(BlobContainer),
            ContainerUri = parse.GetValue(BlobContainerUri),
        };
        if (settings.ConnectionString is not null || settings.ContainerUri is not null)
        {
            witnesses.Add(WitnessFactory.Create(settings, "--witness-blob", Path.GetFullPath, () => new DefaultAzureCredential()));
        }
        if (witnesses.Count == 0)
        {
            if (database is null)
            {
                return null; // a server database has no folder beside it: its witness is named with --witness-dir
            }
            var standard = Path.Combine(database.Directory?.Parent?.FullName ?? ".", "audit-witness");
            if (!Directory.Exists(standard))
            {
                return null;
            }
            witnesses.Add(new DirectoryWitness(standard));
        }
        var state = parse.GetValue(State)?.FullName
            ?? (witnesses.OfType<DirectoryWitness>().FirstOrDefault() is { } first ? first.Name + ".verify-state.json" : null);
        return new WitnessedVerification(signer, new CheckpointWitnesses(witnesses), state);
    }
}
