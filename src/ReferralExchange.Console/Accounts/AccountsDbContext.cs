using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// People's accounts, apart from the referral data: their own SQLite file, so the exchange's
/// database (and its append-only audit trail) knows nothing of passwords (ADR 0022).
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityDbContext<ConsoleUser>(options);
