using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Migrations.SqlServer;

/// <summary>Lets <c>dotnet ef migrations add</c> and script generation build the context for SQL Server; no server is contacted.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args) => Create("Server=localhost;Database=ReferralExchange;Integrated Security=true;TrustServerCertificate=true");

    public static GatewayDbContext Create(string connectionString)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name));
        return new GatewayDbContext(options.Options);
    }
}
