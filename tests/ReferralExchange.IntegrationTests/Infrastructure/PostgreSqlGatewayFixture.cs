namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>The same real gateway as <see cref="GatewayFixture"/>, on a PostgreSQL database of its own (owner and runtime roles).</summary>
public class PostgreSqlGatewayFixture() : GatewayFixture(null, TestDatabase.PostgreSql())
{
    public PostgreSqlTestDatabase PostgreSql => (PostgreSqlTestDatabase)Database;
}
