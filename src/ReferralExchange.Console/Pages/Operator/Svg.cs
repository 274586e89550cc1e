using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Html;

namespace ReferralExchange.WebConsole.Pages.Operator;

/// <summary>SVG <c>&lt;text&gt;</c> for the charts (Razor reserves the tag name); the content is encoded.</summary>
public static class Svg
{
    public static IHtmlContent Text(int x, int y, string content) =>
        new HtmlString(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\">{WebUtility.HtmlEncode(content)}</text>"));
}
