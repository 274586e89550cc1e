using System.Security.Cryptography;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Search;

/// <summary>
/// The HMAC key of search cursors (SearchCursorSigner): 32 random bytes in the data directory,
/// created 0600 on first start and kept, so next links survive a restart. Gateways that share one
/// database behind a load balancer must share this file too, or a page may land on a gateway that
/// refuses its cursor (400: search again).
/// </summary>
public static class SearchCursorKeyFile
{
    public const string FileName = "search-cursor.key";
    private const int KeyBytes = 32;

    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length == KeyBytes)
            {
                return existing;
            }
            throw new InvalidOperationException($"{path} is not a {KeyBytes}-byte search cursor key");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        OwnerOnlyFiles.CreateFile(path);
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        File.WriteAllBytes(path, key);
        return key;
    }
}
