using Microsoft.Data.Sqlite;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Reads a gateway database's audit records raw and checks the chain: contiguous sequence, each record naming its predecessor's hash.</summary>
public static class AuditChainFile
{
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
