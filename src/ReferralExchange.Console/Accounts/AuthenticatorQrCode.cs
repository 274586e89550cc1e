using System.Globalization;
using System.Text;
using QRCoder;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// The otpauth:// URI as a QR code, drawn as one SVG path (no script, no style attribute: the CSP
/// forbids both). QRCoder encodes the modules; the drawing is ours, so nothing else reaches the page.
/// The page shows the key and the URI as text beside it (for people who cannot scan).
/// </summary>
public static class AuthenticatorQrCode
{
    public static string Svg(string otpauthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes the 4-module quiet zone
        var size = matrix.Count;
        var path = new StringBuilder();
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                if (matrix[y][x]) path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
            }
        }
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{size * 5}\" height=\"{size * 5}\" role=\"img\" aria-label=\"QR code of the authenticator setup URI shown below\" shape-rendering=\"crispEdges\">"
            + $"<rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>";
    }

    /// <summary>Key URI format (Google Authenticator): issuer and account label, the base32 secret, TOTP defaults (SHA-1, 6 digits, 30 s).</summary>
    public static string Uri(string issuer, string account, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(account)}?secret={key}&issuer={System.Uri.EscapeDataString(issuer)}&digits=6";
}
