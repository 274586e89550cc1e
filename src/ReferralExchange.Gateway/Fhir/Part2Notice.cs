namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// 42 CFR §2.32: each disclosure of substance-use records carries the prohibition on re-disclosure.
/// The resources carry the computable refrain (meta.security NORDSCLCD); the response carries the
/// statement itself.
/// </summary>
public static class Part2Notice
{
    public const string Header = "X-Part2-Redisclosure-Notice";

    public const string Statement =
        "42 CFR part 2 prohibits unauthorized use or disclosure of these records. This information has been disclosed to you from records protected by federal confidentiality rules (42 CFR part 2).";

    public static void AddIf(HttpContext context, bool part2)
    {
        if (part2)
        {
            context.Response.Headers[Header] = Statement;
        }
    }
}
