using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using ReferralExchange.Core.Authorization;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// What a signed, unexpired access token must also hold before the API serves it (defence in depth:
/// forging one needs the signing key, but a leaked key or a bug in the issuer must not yield tokens
/// the gateway would never issue). OpenIddict validation has checked the signature, issuer,
/// audience, expiry and, when present, the certificate binding; these rules check the rest.
/// </summary>
public static class AccessTokenRules
{
    /// <summary>Clock skew tolerated between issuer and resource server (RFC 7519 §4.1.4/§4.1.5 "some small leeway").</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public const string PurposeClaim = "purpose_of_use";

    /// <summary>The token's purposes of use, or why the token is refused.</summary>
    /// <param name="lifetime">The configured access token lifetime: no token of ours lives longer.</param>
    public static (IReadOnlyList<string> Purposes, string? Error) Check(string jwt, DateTimeOffset now, TimeSpan lifetime)
    {
        JsonElement payload;
        try
        {
            var parts = jwt.Split('.');
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])));
            payload = document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            return ([], "the access token is not a JWT");
        }

        // RFC 8705 §3: every token we issue is bound to the client certificate. A token without the
        // binding would be a bearer token, usable by anyone holding it.
        if (!payload.TryGetProperty("cnf", out var cnf) || cnf.ValueKind != JsonValueKind.Object
            || !cnf.TryGetProperty("x5t#S256", out var thumbprint) || thumbprint.ValueKind != JsonValueKind.String || thumbprint.GetString()!.Length == 0)
        {
            return ([], "the access token is not bound to a client certificate (cnf.x5t#S256)");
        }

        var latest = now + ClockSkew;
        if (Seconds(payload, "iat") is not { } issued || issued > latest)
        {
            return ([], "the access token's iat is missing or in the future");
        }
        if (payload.TryGetProperty("nbf", out _) && (Seconds(payload, "nbf") is not { } notBefore || notBefore > latest))
        {
            return ([], "the access token is not valid yet (nbf)");
        }
        if (Seconds(payload, "exp") is not { } expires || expires - issued > lifetime + ClockSkew)
        {
            return ([], "the access token's lifetime is longer than the gateway issues");
        }

        var purposes = Purposes(payload);
        return purposes.Count == 0 ? ([], "the access token carries no known purpose of use") : (purposes, null);
    }

    private static DateTimeOffset? Seconds(JsonElement payload, string claim) =>
        payload.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>One string or an array of strings, each a code of the vocabulary; anything else makes the claim unusable.</summary>
    private static IReadOnlyList<string> Purposes(JsonElement payload)
    {
        if (!payload.TryGetProperty(PurposeClaim, out var claim))
        {
            return [];
        }
        var values = claim.ValueKind switch
        {
            JsonValueKind.String => [claim],
            JsonValueKind.Array => claim.EnumerateArray().ToList(),
            _ => [],
        };
        var codes = values.Select(v => v.ValueKind == JsonValueKind.String ? PurposeOfUseRules.Default.Normalize(v.GetString()) : null).ToList();
        return codes.Count > 0 && codes.All(c => c is not null) ? codes.Select(c => c!).ToList() : [];
    }
}
