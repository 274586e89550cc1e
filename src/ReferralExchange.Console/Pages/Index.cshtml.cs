using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Pages;

/// <summary>Sends each person to the start page of their kind of organization.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => User.FindFirstValue(ConsoleClaims.Kind) switch
    {
        "police-social-work" => Redirect("/Referrals"),
        "operator" => Redirect("/Operator/Partners"),
        _ => Redirect("/Inbox"),
    };
}
