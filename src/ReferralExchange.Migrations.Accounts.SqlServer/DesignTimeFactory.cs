using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.Migrations.Accounts.SqlServer;

/// <summary>Lets <c>dotnet ef migrations add</c> build the accounts context for SqlServer without starting the console; no server is contacted.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AccountsDbContext>();
        options.UseAccountsSqlServer("Server=localhost;Database=ReferralExchangeAccounts;Integrated Security=true;TrustServerCertificate=true");
        return new AccountsDbContext(options.Options);
    }
}
