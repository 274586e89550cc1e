using Microsoft.Data.Sqlite;
using ReferralExchange.Core.Audit.Checkpoints;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Raw reads of a gateway's audit rows, and its checkpoint key as a witness is handed it out of band.</summary>
public static class AuditLogFile
{
    public static byte[] Payload(GatewayFixture gateway, long sequence) =>
        Scalar<byte[]>(gateway, "SELECT \"Payload\" FROM \"AuditRecords\" WHERE \"Sequence\" = @s", sequence);

    /// <summary>The first record matching <paramref name="where"/>, by sequence.</summary>
    public static long FirstRecord(GatewayFixture gateway, string where) =>
        Scalar<long>(gateway, $"SELECT MIN(\"Sequence\") FROM \"AuditRecords\" WHERE {where}", 0);

    public static string PatientOf(GatewayFixture gateway, long sequence) =>
        Scalar<string>(gateway, "SELECT \"PatientId\" FROM \"AuditRecords\" WHERE \"Sequence\" = @s", sequence);

    public static string KeyPath(GatewayFixture gateway) => Path.Combine(gateway.RootDirectory, "certs", "audit-signing.key");

    public static EcdsaNoteKey NoteKey(GatewayFixture gateway, string origin) => EcdsaNoteKey.FromPem(origin, File.ReadAllText(KeyPath(gateway)));

    /// <summary>The public half only, as the operator would publish it to partners.</summary>
    public static string WritePublicKey(GatewayFixture gateway)
    {
        var path = Path.Combine(gateway.RootDirectory, "audit-checkpoint-public.pem");
        File.WriteAllText(path, NoteKey(gateway, "any").ToPem());
        return path;
    }

    private static T Scalar<T>(GatewayFixture gateway, string sql, long sequence)
    {
        using var connection = new SqliteConnection($"Data Source={gateway.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@s", sequence);
        return (T)command.ExecuteScalar()!;
    }
}
