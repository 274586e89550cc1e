using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// How a new installation gets its first operator. Outside development nothing is seeded, and only
/// an operator can make accounts, so without this nobody could ever sign in. On a start at which no
/// operator account has a password yet, the console makes one (<c>Console:FirstOperatorUserName</c>,
/// for the first partner of kind operator) and issues it a one-time set-password link, the same
/// link an operator would hand over (<see cref="SetPasswordLinks"/>). The link is written to an
/// owner-only file in the data directory, never to the log (a link in a log would be a credential in
/// every log store): the installer reads it from the host, opens it, sets the password and enrols
/// two-factor at the first sign-in (operators are led to it). Each start until then issues a fresh
/// link (the earlier one dies); once an operator has a password the file is deleted.
/// </summary>
public sealed class FirstOperatorAccount(UserManager<ConsoleUser> users, SetPasswordLinks links, Core.GatewayCore core, TimeProvider time)
{
    public const string LinkFile = "first-operator-link.txt";

    /// <summary>Who the audit record names: the console's own start, not a person.</summary>
    public const string Actor = "(console-first-operator)";

    /// <returns>The file the link was written to, or null when an operator can already sign in.</returns>
    public async Task<string?> EnsureAsync(string userName, Uri consoleBase, string dataDirectory, CancellationToken ct)
    {
        var path = Path.Combine(dataDirectory, LinkFile);
        var partners = await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().ListAsync(ct));
        var operatorPartners = partners.Where(p => p.Kind == PartnerKind.Operator).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        if (await users.Users.AnyAsync(u => u.PasswordHash != null && operatorPartners.Contains(u.PartnerId), ct))
        {
            File.Delete(path);
            return null;
        }
        var partner = partners.FirstOrDefault(p => p.Kind == PartnerKind.Operator && p.Status == PartnerStatus.Active)
            ?? throw new InvalidOperationException("No active partner of kind operator is registered: the first operator account has no organization to act for (add one to the partners file).");
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new ConsoleUser { UserName = userName, PartnerId = partner.Id, DisplayName = "First operator", LockoutEnabled = true };
            Ensure(await users.CreateAsync(user));
            await core.RunAsync(services => services.GetRequiredService<IAuditTrail>().RecordAsync(new AuditRecord
            {
                Action = AuditActions.Create,
                Outcome = AuditOutcome.Success,
                Recorded = time.GetUtcNow(),
                PartnerId = Actor,
                RequestId = $"first-operator-{time.GetUtcNow().UtcTicks}",
                Resources = [new AuditedResource($"Organization/{partner.Id}", [])],
                Detail = $"{AccountAudit.AccountCreated}: {userName} (first operator, one-time set-password link written to the data directory)",
            }, ct));
        }
        else if (!operatorPartners.Contains(user.PartnerId))
        {
            throw new InvalidOperationException($"Console:FirstOperatorUserName names an account of partner {user.PartnerId}, which is not an operator.");
        }
        var link = SetPasswordLinks.Url(consoleBase, await links.IssueAsync(user));
        File.Delete(path);
        OwnerOnlyFiles.CreateFile(path);
        await File.WriteAllTextAsync(path, $"{userName}\n{link}\n", ct);
        return path;
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("The first operator account could not be made: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}
