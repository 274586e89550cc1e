using Microsoft.AspNetCore.Identity;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>A person's console account (ASP.NET Core Identity): they belong to exactly one partner.</summary>
public sealed class ConsoleUser : IdentityUser
{
    /// <summary>The partner (organization) the person works for; they act as it, never beyond it.</summary>
    public string PartnerId { get; set; } = "";

    /// <summary>The name shown in the trail beside the account (BALP agent display); a staff name, not PHI.</summary>
    public string DisplayName { get; set; } = "";
}
