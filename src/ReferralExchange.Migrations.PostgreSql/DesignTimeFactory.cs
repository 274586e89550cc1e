using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Migrations.PostgreSql;

/// <summary>Lets <c>dotnet ef migrations add</c> and script generation build the context for PostgreSQL; no server is contacted.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args) => Create("Host=localhost;Database=referral_exchange;Username=rx_owner");

    public static GatewayDbContext Create(string connectionString)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewayPostgreSql(connectionString);
        return new GatewayDbContext(options.Options);
    }
}
