using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// People's accounts, apart from the referral data (ADR 0022, 0024): Identity's users and their
/// password hashes and authenticator keys, the people's OpenIddict server entities (applications,
/// authorizations, codes), and the console's Data Protection key ring, which every console replica
/// must share. A database of its own, so the exchange's database (and its append-only audit trail,
/// and the role that writes it) knows nothing of passwords. One migrations assembly per provider
/// (src/ReferralExchange.Migrations.Accounts.*), as the gateway's own.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityDbContext<ConsoleUser>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection's keys (cookies, antiforgery), encrypted at rest with a certificate outside development.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // In the model itself, not only in the options, so design-time builds see the same tables.
        builder.UseOpenIddict();
    }
}
