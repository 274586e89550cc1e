using Microsoft.Data.Sqlite;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Reads a gateway database's audit records raw and checks the chain: contiguous sequence, each record naming its predecessor's hash.</summary>
public static class AuditChainFile
{
    /// <summary>
    /// A copy of a stopped gateway's database (with its WAL, if any) in a fresh folder, for a test
    /// that damages it; the original stays intact for the next test.
    /// </summary>
    public static string Copy(string databasePath)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rx-trail-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var copy = Path.Combine(folder, Path.GetFileName(databasePath));
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(databasePath + suffix)) File.Copy(databasePath + suffix, copy + suffix);
        }
        return copy;
    }

    /// <summary>The SHA-256 the chain stores for a payload (what a forger recomputes after editing one).</summary>
    public static string HashOf(byte[] payload) => AuditChain.Hash(payload);

    /// <returns>How many records the chain holds.</returns>
    public static long AssertIntact(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Sequence, PreviousHash, Hash FROM AuditRecords ORDER BY Sequence";
        using var reader = command.ExecuteReader();
        long count = 0;
        var previous = AuditChain.Genesis;
        while (reader.Read())
        {
            Assert.Equal(++count, reader.GetInt64(0));
            Assert.Equal(previous, reader.GetString(1));
            previous = reader.GetString(2);
        }
        return count;
    }
}
