using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context for SQLite without starting the gateway.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite("design-time.db");
        return new GatewayDbContext(options.Options);
    }
}
