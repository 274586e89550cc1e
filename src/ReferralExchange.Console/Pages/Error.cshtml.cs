using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ReferralExchange.WebConsole.Pages;

/// <summary>Errors and status pages: what happened in plain words, never internals (the request id is for support).</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Heading { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "";

    public void OnGet(int? status) => Describe(status);

    public void OnPost(int? status) => Describe(status);

    private void Describe(int? status)
    {
        (Heading, Message) = status switch
        {
            404 => ("Not found", "There is no such page."),
            400 => ("The form could not be accepted", "It may have expired. Go back, reload the page and try again."),
            403 => ("Not allowed", "Your organization may not do this."),
            _ => ("Something went wrong", $"Nothing was changed. If it happens again, give support this reference: {HttpContext.TraceIdentifier}"),
        };
    }
}
