using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// What an attacker holding the gateway's token-signing key could do: take a genuine access token,
/// change its claims and sign it again with that key (<c>token-signing.key</c>, ES256), so that
/// only the gateway's claim rules stand between the forgery and the API.
/// </summary>
public static class TokenForge
{
    /// <summary>A genuine access token for <paramref name="partnerId"/>, fetched over <paramref name="client"/> (which holds its certificate).</summary>
    public static async Task<string> GenuineAsync(HttpClient client, string partnerId)
    {
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = partnerId,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())["access_token"]!.GetValue<string>();
    }

    public static JsonObject Claims(string jwt) => JsonNode.Parse(Decode(jwt.Split('.')[1]))!.AsObject();

    /// <summary>The genuine token's header and <paramref name="claims"/>, signed with the gateway's own key.</summary>
    public static async Task<string> ResignAsync(GatewayFixture gateway, string genuine, JsonObject claims)
    {
        var header = JsonNode.Parse(Decode(genuine.Split('.')[0]))!.AsObject();
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(gateway.Certificates.Directory, "token-signing.key")));
        var signingInput = $"{Encode(header.ToJsonString())}.{Encode(claims.ToJsonString())}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    public static string Decode(string part)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=')));
    }

    public static string Encode(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
