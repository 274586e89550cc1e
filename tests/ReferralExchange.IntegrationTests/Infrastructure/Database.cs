namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Raw reads of the gateway's database (SQLite file or PostgreSQL), to prove what was (not) stored.</summary>
public static class Database
{
    public static long Count(GatewayFixture gateway, string table, string? where = null)
    {
        using var connection = gateway.OpenDatabase(readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"" + (where is null ? string.Empty : $" WHERE {where}");
        return Convert.ToInt64(command.ExecuteScalar()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A raw write, as another process sharing the database would make it (on SQLite it waits for the gateway's writer).</summary>
    public static int Execute(GatewayFixture gateway, string sql)
    {
        using var connection = gateway.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
