namespace ReferralExchange.WebConsole.Accounts;

/// <summary>The claims a signed-in person carries in their session cookie.</summary>
public static class ConsoleClaims
{
    public const string Partner = "rx:partner";
    public const string Kind = "rx:kind";
    public const string DisplayName = "rx:name";
    /// <summary>RFC 8176 authentication method reference; Identity sets <c>mfa</c> after a second factor.</summary>
    public const string AuthenticationMethod = "amr";
}

/// <summary>Authorization policies: which pages a partner kind may open (rules of the API, enforced again by the core).</summary>
public static class ConsolePolicies
{
    public const string ReferralSource = "referral-source";
    public const string Intake = "intake";
    /// <summary>The operator's kind, and a second factor in this session (issue 16 must-hold 2).</summary>
    public const string Operator = "operator";
}
