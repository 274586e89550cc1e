using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// The data directory and the SQLite database, owner-only from their first byte (finding 3); at
/// every start a warning names any that group or others can reach (someone loosened them since).
/// </summary>
public static class DataAtRest
{
    /// <summary>Before anything opens the database: the directory 0700, the database file 0600.</summary>
    public static void Prepare(GatewayPaths paths, bool sqlite)
    {
        OwnerOnlyFiles.CreateDirectory(paths.DataDirectory);
        if (sqlite)
        {
            OwnerOnlyFiles.CreateFile(paths.DatabasePath);
        }
    }

    /// <summary>After migration, when the -wal and -shm files exist too.</summary>
    public static void Check(GatewayPaths paths, ILogger logger)
    {
        // Not "Path": the log enricher drops that property (it carries request paths elsewhere).
        foreach (var (path, mode) in OwnerOnlyFiles.Loosened(paths.DataDirectory))
        {
            var expected = path == paths.DataDirectory ? OwnerOnlyFiles.PrivateDirectory : OwnerOnlyFiles.PrivateFile;
            logger.LogWarning("{File} is accessible to other OS users (mode {Mode}, expected {Expected}): it holds person data", path,
                OwnerOnlyFiles.Octal(mode), OwnerOnlyFiles.Octal(expected));
        }
    }
}
