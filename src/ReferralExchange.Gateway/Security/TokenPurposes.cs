namespace ReferralExchange.Gateway.Security;

/// <summary>The purposes of use the current request's access token was granted (set once the token is accepted).</summary>
public static class TokenPurposes
{
    private const string Key = "ReferralExchange.TokenPurposes";

    public static void Set(HttpContext context, IReadOnlyList<string> purposes) => context.Items[Key] = purposes;

    public static IReadOnlyList<string>? Of(HttpContext context) => context.Items[Key] as IReadOnlyList<string>;
}
