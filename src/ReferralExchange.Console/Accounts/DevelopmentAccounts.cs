using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// Development only: on first start, one worker per partner and an operator with TOTP two-factor
/// enrolled (issue 16 must-hold 2). Passwords are random unless a test fixes them; they are printed
/// once to the terminal (never logged) and stored only as Identity's hashes.
/// </summary>
public sealed class DevelopmentAccounts(UserManager<ConsoleUser> users, Core.GatewayCore core)
{
    public sealed record Seeded(string UserName, string PartnerId, string Password, string? AuthenticatorKey);

    public async Task<IReadOnlyList<Seeded>> SeedAsync(string? fixedPassword, string? fixedAuthenticatorKey, CancellationToken ct)
    {
        if (users.Users.Any())
        {
            return [];
        }
        var seeded = new List<Seeded>();
        foreach (var partner in await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().ListAsync(ct)))
        {
            var isOperator = partner.Kind == PartnerKind.Operator;
            var user = new ConsoleUser
            {
                UserName = $"{(isOperator ? "operator" : "worker")}@{partner.Id}",
                PartnerId = partner.Id,
                DisplayName = isOperator ? "Duty Operator" : $"Worker at {partner.Name}",
                LockoutEnabled = true,
            };
            var password = fixedPassword ?? RandomPassword();
            Ensure(await users.CreateAsync(user, password));
            string? key = null;
            if (isOperator)
            {
                if (fixedAuthenticatorKey is null)
                {
                    Ensure(await users.ResetAuthenticatorKeyAsync(user));
                }
                else
                {
                    Ensure(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", fixedAuthenticatorKey));
                }
                key = await users.GetAuthenticatorKeyAsync(user);
                Ensure(await users.SetTwoFactorEnabledAsync(user, true));
            }
            seeded.Add(new Seeded(user.UserName, partner.Id, password, key));
        }
        return seeded;
    }

    public static void Print(IReadOnlyList<Seeded> seeded, TextWriter output)
    {
        if (seeded.Count == 0) return;
        output.WriteLine("Development console accounts (shown once; change them or delete data/console-accounts.db to get new ones):");
        foreach (var account in seeded)
        {
            output.WriteLine($"  {account.UserName,-28} password {account.Password}" +
                (account.AuthenticatorKey is { } key ? $"  TOTP key {key} (add it to an authenticator app)" : ""));
        }
    }

    private static string RandomPassword() =>
        // 18 characters from a set with every class Identity asks for; random from the OS.
        "Rx-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'k').Replace('/', 'm') + "7a";

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Seeding a console account failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
