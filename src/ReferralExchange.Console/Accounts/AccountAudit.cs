using ReferralExchange.Core.Audit;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// Account actions go to the exchange's own audit trail (the <see cref="IAuditTrail"/> every API
/// interaction goes to), as the signed-in person who acted (IHE BALP user agent, requestor) for
/// their organization, with the account's partner as the entity. The detail names the account and
/// the action, never a password, token, link or authenticator key.
/// </summary>
public sealed class AccountAudit(GatewayCore core, PersonCaller callers, TimeProvider time)
{
    public const string AccountCreated = "console account created";
    public const string AccountDisabled = "console account disabled";
    public const string AccountEnabled = "console account re-enabled";
    public const string AccountUnlocked = "console account unlocked";
    public const string TwoFactorReset = "console account two-factor reset";
    public const string PasswordReset = "console account password reset (one-time set-password link issued)";

    /// <summary>An operator's action on someone's account.</summary>
    public async Task RecordAsync(HttpContext context, ConsoleUser account, string what)
    {
        var caller = await callers.ForAsync(context);
        await AppendAsync(AuditRecord.For(caller, AuditActions.Update, AuditOutcome.Success, time.GetUtcNow()), account, what, context.RequestAborted);
    }

    /// <summary>A person's action on their own account, or one done through a one-time link (not signed in: the account is the user).</summary>
    public Task RecordOwnAsync(HttpContext context, ConsoleUser account, string what) => AppendAsync(new AuditRecord
    {
        Action = AuditActions.Update,
        Outcome = AuditOutcome.Success,
        Recorded = time.GetUtcNow(),
        PartnerId = account.PartnerId,
        CertificateThumbprint = PersonCaller.ConsoleChannel,
        PersonName = account.DisplayName,
        SignedInUser = account.UserName,
        SourceAddress = context.Connection.RemoteIpAddress?.ToString(),
        RequestId = context.TraceIdentifier,
    }, account, what, context.RequestAborted);

    private Task AppendAsync(AuditRecord record, ConsoleUser account, string what, CancellationToken ct) => core.RunAsync(services =>
        services.GetRequiredService<IAuditTrail>().RecordAsync(record with
        {
            Resources = [new AuditedResource($"Organization/{account.PartnerId}", [])],
            Detail = $"{what}: {account.UserName}",
        }, ct));
}
