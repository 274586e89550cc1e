using System.Security.Cryptography;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// An outsider's check of an inclusion proof: only RFC 9162 (§2.1.1 hashes, §2.1.3.2 verification)
/// and the checkpoint's text, nothing of the gateway's code, as a person or an auditor would write it.
/// </summary>
public static class RfcInclusionCheck
{
    public static byte[] LeafHash(byte[] data) => SHA256.HashData([0x00, .. data]);

    /// <summary>The root line of a C2SP checkpoint note: its third line.</summary>
    public static byte[] RootOf(string checkpointNote) => Convert.FromBase64String(checkpointNote.Split('\n')[2]);

    public static long SizeOf(string checkpointNote) => long.Parse(checkpointNote.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);

    public static bool Verify(long leafIndex, long treeSize, byte[] leafHash, IReadOnlyList<byte[]> path, byte[] root)
    {
        if (leafIndex >= treeSize) return false;
        long fn = leafIndex, sn = treeSize - 1;
        var r = leafHash;
        foreach (var p in path)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = SHA256.HashData([0x01, .. p, .. r]);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = SHA256.HashData([0x01, .. r, .. p]);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.SequenceEqual(root);
    }
}
