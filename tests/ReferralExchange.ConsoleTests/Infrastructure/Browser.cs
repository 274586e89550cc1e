using System.Diagnostics;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ReferralExchange.ConsoleTests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Microsoft.Playwright (its own browser download cannot work here, so
/// the executable is given: RX_CHROMIUM, else /usr/bin/chromium). Root needs --no-sandbox.
/// Every page visited gets a screenshot and an axe-core scan.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _screenshots;

    private Browser(IPlaywright playwright, IBrowser browser, string screenshots)
    {
        _playwright = playwright;
        _browser = browser;
        _screenshots = screenshots;
    }

    public List<string> SeriousViolations { get; } = [];

    public static string? Executable =>
        Environment.GetEnvironmentVariable("RX_CHROMIUM") is { Length: > 0 } configured ? configured
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public static async Task<Browser> LaunchAsync(string screenshots)
    {
        Directory.CreateDirectory(screenshots);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable ?? throw new InvalidOperationException("chromium is not installed (.ci/run installs it with apt)"),
            Headless = true,
            Args = ["--no-sandbox"],
        });
        return new Browser(playwright, browser, screenshots);
    }

    /// <summary>A person's own browser window: its own cookies; phone-sized when asked (the field).</summary>
    public async Task<IPage> NewPersonAsync(Uri baseAddress, bool phone = false)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            // The development CA is not in chromium's store; the HTTP tests check the chain itself.
            IgnoreHTTPSErrors = true,
            // axe is injected as a script; the console's CSP (rightly) allows none.
            BypassCSP = true,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            JavaScriptEnabled = true,
        });
        // Two shared cores under a parallel test run: pages can take many seconds; a hung page still fails.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Screenshot and axe scan of the page as it is now; serious and critical violations are collected.</summary>
    public async Task CheckAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, name + ".png"), FullPage = true });
        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            SeriousViolations.Add($"{name}: {violation.Id} ({violation.Impact}) {violation.Help} — {string.Join("; ", violation.Nodes.Select(n => string.Join(",", n.Target)))}");
        }
    }

    /// <summary>Signs in through the form (screenshot of the form first, when named) and waits until the next page has loaded.</summary>
    public async Task SignInAsync(IPage page, string user, string password, string? screenshot = null)
    {
        await page.GotoAsync("/Account/SignIn");
        if (screenshot is not null) await CheckAsync(page, screenshot);
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button:has-text('Sign in')");
        await LoadedAfterLeavingAsync(page, "/Account/SignIn");
    }

    /// <summary>
    /// Waits until the page has left <paramref name="path"/> and the document it went to has loaded.
    /// Not WaitForURLAsync, nor one WaitForLoadStateAsync: both check the frame's state, then subscribe
    /// to its events, and an event the driver's thread delivers in between is lost
    /// (microsoft/playwright-dotnet#3364); the sign-in story hung its full 120 s on one in the
    /// project CI. Expect polls in the driver, so nothing is lost; and a load state once reached
    /// is recorded, so a short wait asked again finds it at the check.
    /// </summary>
    private static async Task LoadedAfterLeavingAsync(IPage page, string path)
    {
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex(Regex.Escape(path)));
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.Load, new PageWaitForLoadStateOptions { Timeout = 2_000 });
                return;
            }
            catch (TimeoutException) when (waited.Elapsed < TimeSpan.FromSeconds(120))
            {
                // Missed, or still loading: ask again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
