using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>The console's request pipeline: security headers, errors, sign-in, pages.</summary>
public static class ConsolePipeline
{
    public static WebApplication UseConsole(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/console.css", ConsoleStyles.Write).AllowAnonymous();
        app.MapConsoleHealth();
        app.MapSignInEndpoints();
        app.MapRazorPages();
        return app;
    }
}
