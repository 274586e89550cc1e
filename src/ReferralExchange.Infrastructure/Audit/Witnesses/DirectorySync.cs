using System.Runtime.InteropServices;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// fsync(2) on a directory, so that a new file's name survives a power cut, not only its bytes
/// (POSIX: "fsync() on the file does not necessarily ensure that the entry in the directory
/// containing the file has also reached disk"). .NET opens no directory handles, hence libc.
/// On Windows, NTFS journals the directory entry with the file; nothing to do.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // Classic DllImport: LibraryImport's generated stubs would need unsafe code in this project.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
