using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.Migrations.Accounts.PostgreSql;

/// <summary>Lets <c>dotnet ef migrations add</c> build the accounts context for PostgreSql without starting the console; no server is contacted.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AccountsDbContext>();
        options.UseAccountsPostgreSql("Host=localhost;Database=referral_exchange_accounts;Username=rx_accounts_owner");
        return new AccountsDbContext(options.Options);
    }
}
