using System.Runtime.InteropServices;

namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// Which file a path names right now: device and inode from POSIX <c>stat(2)</c>. .NET has no
/// public API for them (FileSystemInfo says nothing of inodes; Mono.Unix is not served here).
/// A file unlinked or renamed over keeps its inode for whoever has it open (SQLite does), so the
/// pair read through the path at start and again later tells whether the path still names the
/// file we write to.
/// </summary>
/// <remarks>
/// On 64-bit Linux (x86_64 and aarch64, glibc 2.33+ and musl) <c>struct stat</c> begins with
/// <c>st_dev</c> then <c>st_ino</c>, both 64-bit, whatever follows: only those 16 bytes are read,
/// from a buffer larger than either layout. Elsewhere <see cref="Supported"/> is false and callers
/// fall back to the file's existence.
/// </remarks>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess && Probe();

    /// <summary>The identity of the file at <paramref name="path"/>, or null if nothing is there (or it cannot be read).</summary>
    public static FileIdentity? Of(string path)
    {
        if (!Supported)
        {
            return File.Exists(path) ? new FileIdentity(0, 0) : null;
        }
        var buffer = new byte[512];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }
        return new FileIdentity(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }

    public override string ToString() => $"{Device}:{Inode}";

    private static bool Probe()
    {
        try
        {
            var buffer = new byte[512];
            return Stat("/", buffer) == 0 && BitConverter.ToUInt64(buffer, 8) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}
