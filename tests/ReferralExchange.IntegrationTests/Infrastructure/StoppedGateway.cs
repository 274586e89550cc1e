namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway that ran some traffic, signed a checkpoint and stopped, leaving its database and keys
/// behind: one per test class; tests damage copies of its database (<see cref="AuditChainFile.Copy"/>).
/// </summary>
public sealed class StoppedGateway : IAsyncLifetime
{
    private OwnedGateway? _gateway;

    public string RootDirectory => _gateway!.RootDirectory;
    public string DatabasePath => _gateway!.DatabasePath;
    public string SigningKeyPath => Path.Combine(RootDirectory, "certs", "audit-signing.key");

    public async Task InitializeAsync()
    {
        _gateway = await OwnedGateway.StartAsync();
        _gateway.DeleteOnDispose = false;
        await _gateway.GenerateTrafficAsync();
        await _gateway.CheckpointAsync();
        await _gateway.DisposeAsync();
    }

    /// <summary>A copy of the whole gateway folder (database and certificates), to start a gateway on after damaging it.</summary>
    public string CopyRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "rx-copy-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var file in Directory.EnumerateFiles(RootDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(RootDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return root;
    }

    /// <summary>Runs <c>rx</c> with these arguments against a database, with this gateway's checkpoint key.</summary>
    public async Task<(int Exit, string Output)> RxAsync(string databasePath, params string[] args)
    {
        var writer = new StringWriter();
        var exit = await ReferralExchange.Cli.CliApp.RunAsync([.. args, "--database", databasePath, .. args.Contains("verify") ? new[] { "--signing-key", SigningKeyPath } : []], writer);
        return (exit, writer.ToString());
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(RootDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
