using Microsoft.IdentityModel.JsonWebTokens;
using ReferralExchange.Infrastructure.Partners;

namespace ReferralExchange.Gateway.Security.ClientAssertions;

/// <summary>
/// What SMART App Launch 2.x "Client Authentication: Asymmetric" asks of an authentication JWT
/// beyond its signature, checked at the token endpoint once OpenIddict has verified it against the
/// partner's registered key (<see cref="SmartClientAssertionValidation"/>): a <c>jti</c>, an
/// <c>exp</c> "no more than five minutes in the future", and a <c>jti</c> "not previously
/// encountered for the given iss" (replay; kept until the assertion expires).
/// </summary>
public static class ClientAssertionRules
{
    /// <summary>SMART's limit on an assertion's lifetime.</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Clock skew allowed between the partner and the gateway on top of the limit.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Null when the assertion may be used, else why not (an <c>invalid_client</c> description).</summary>
    public static async Task<string?> CheckAsync(string assertion, string clientId, ClientAssertionReplayGuard replays, DateTimeOffset now, CancellationToken ct)
    {
        var jwt = new JsonWebToken(assertion);
        if (string.IsNullOrEmpty(jwt.Id) || jwt.ValidTo > now.UtcDateTime + MaximumLifetime + ClockSkew)
        {
            return "The client assertion needs a jti and an exp at most five minutes out";
        }
        if (!await replays.TryUseAsync(clientId, jwt.Id, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), ct))
        {
            return "The client assertion was already used";
        }
        return null;
    }
}
