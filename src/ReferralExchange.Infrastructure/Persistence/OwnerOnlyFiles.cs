namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// Person data at rest is for the gateway's OS user alone: its data directory is 0700 and the
/// SQLite files 0600. Modes are given at creation (open(2) with a mode), never tightened after, so
/// there is no moment at which another user could open the file. SQLite creates the -wal and -shm
/// files (and a rollback -journal) with the database file's own permissions (its unix VFS,
/// robust_open/findCreateFileMode), so creating the empty database file 0600 before SQLite first
/// opens it covers all of them; an empty file is a valid new database.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the directory (and missing parents) 0700; an existing one is left as it is (see <see cref="Loosened"/>).</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, PrivateDirectory);
    }

    /// <summary>Creates an empty file 0600 unless it exists.</summary>
    public static void CreateFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: whoever did, the start-up check reports its mode.
        }
    }

    /// <summary>The directory and the files in it that group or others may access, with their modes.</summary>
    public static IReadOnlyList<(string Path, UnixFileMode Mode)> Loosened(string directory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return [];
        }
        var loosened = new List<(string, UnixFileMode)>();
        foreach (var path in Directory.EnumerateFiles(directory).Prepend(directory))
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                loosened.Add((path, mode));
            }
        }
        return loosened;
    }

    /// <summary>The mode as octal digits, e.g. <c>0644</c>.</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}
