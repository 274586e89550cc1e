using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.Migrations.Accounts.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the accounts context for Sqlite without starting the console; no server is contacted.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AccountsDbContext>();
        options.UseAccountsSqlite("design-time-accounts.db");
        return new AccountsDbContext(options.Options);
    }
}
