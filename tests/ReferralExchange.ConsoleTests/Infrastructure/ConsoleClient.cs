using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.ConsoleTests.Infrastructure;

/// <summary>
/// A person's browser without the browser: server TLS trusted through the development CA (no client
/// certificate), a cookie jar, forms posted with the antiforgery token of the page they came from.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleClient(Uri baseAddress, X509Certificate2 ca, CookieContainer? cookies = null)
    {
        // A shared jar is one browser talking to several console replicas (cookies are per host, not per port).
        Cookies = cookies ?? new CookieContainer();
        var handler = new SocketsHttpHandler
        {
            CookieContainer = Cookies,
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => CustomRootValidation.ChainsTo(certificate, [ca]),
            },
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    public CookieContainer Cookies { get; }

    public sealed record Page(HttpStatusCode Status, string Html, string? Location, HttpResponseMessage Response)
    {
        /// <summary>The path and query this page was answered for (after any redirects followed).</summary>
        public string PathAndQuery => Response.RequestMessage!.RequestUri!.PathAndQuery;

        public string Token => TokenPattern().Match(Html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("The page has no antiforgery token");
    }

    public async Task<Page> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString(), response);
    }

    /// <summary>Opens the page, then posts the form fields with its antiforgery token (as the browser would).</summary>
    public async Task<Page> SubmitAsync(string pagePath, string action, params (string Name, string Value)[] fields)
    {
        var page = await GetAsync(pagePath);
        return await PostAsync(action, [.. fields, ("__rx_af", page.Token)]);
    }

    public async Task<Page> PostAsync(string action, IEnumerable<(string Name, string Value)> fields)
    {
        var response = await _http.PostAsync(action, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString(), response);
    }

    /// <summary>Follows redirects as a browser does (the OpenID Connect round trip is several), up to ten.</summary>
    public async Task<Page> FollowAsync(string path) => await FollowAsync(await GetAsync(path));

    public async Task<Page> FollowAsync(Page page)
    {
        for (var hop = 0; hop < 10 && page.Status is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther && page.Location is { } next; hop++)
        {
            page = await GetAsync(next);
        }
        return page;
    }

    /// <summary>Password (and TOTP when a key is given), then the authorization-code round trip; the first answer of the sign-in form when it refused.</summary>
    public async Task<Page> SignInAsync(string userName, string password, string? authenticatorKey = null)
    {
        var signedIn = await SubmitAsync("/Account/SignIn", "/Account/SignIn", ("UserName", userName), ("Password", password));
        if (authenticatorKey is not null && signedIn.Location?.Contains("TwoFactor", StringComparison.Ordinal) == true)
        {
            signedIn = await SubmitAsync("/Account/TwoFactor", "/Account/TwoFactor", ("Code", Totp.Code(authenticatorKey, DateTimeOffset.UtcNow)));
        }
        return signedIn.Status == HttpStatusCode.Redirect && signedIn.Location?.Contains("TwoFactor", StringComparison.Ordinal) != true
            ? await FollowAsync(signedIn)
            : signedIn;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__rx_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
