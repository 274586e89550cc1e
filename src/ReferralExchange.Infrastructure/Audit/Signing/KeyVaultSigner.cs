using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.Infrastructure.Audit.Signing;

/// <summary>
/// Signs checkpoint digests with an Azure Key Vault EC key over the Key Vault REST API (7.4):
/// <c>POST keys/{name}/{version}/sign</c> with ES256, and verifies locally with the public JWK from
/// <c>GET keys/{name}/{version}</c>. The private key never leaves the vault. Azure.Core supplies
/// bearer-token authentication and retries (429 and 5xx, honouring Retry-After).
/// </summary>
public sealed class KeyVaultSigner : IKeySigner
{
    private const string ApiVersion = "7.4";
    private readonly HttpPipeline _pipeline;
    private readonly KeyVaultOptions _options;
    private readonly ConcurrentDictionary<string, ECDsa> _publicKeys = new();
    private string? _keyId;

    public KeyVaultSigner(KeyVaultOptions options, TokenCredential credential, HttpPipelineTransport? transport = null)
    {
        _options = options;
        var clientOptions = new KeyVaultClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }
        // The token audience of Key Vault's data plane.
        _pipeline = HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(credential, "https://vault.azure.net/.default"));
    }

    /// <summary>The full key id (URL with version) of the signing key; resolved once from Key Vault.</summary>
    public string KeyId => _keyId ?? throw new InvalidOperationException("Call InitializeAsync first");

    /// <summary>Resolves the key version (and checks the vault answers) before the first checkpoint.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        var path = string.IsNullOrEmpty(_options.KeyVersion) ? $"keys/{_options.KeyName}" : $"keys/{_options.KeyName}/{_options.KeyVersion}";
        using var document = await SendAsync(RequestMethod.Get, new Uri(_options.VaultUri!, path), null, "get key", ct);
        var key = document.RootElement.GetProperty("key");
        _keyId = key.GetProperty("kid").GetString();
        _publicKeys[_keyId!] = ImportJwk(key);
    }

    public async Task<byte[]> SignDigestAsync(byte[] sha256Digest, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", value = Base64Url.Encode(sha256Digest) });
        using var document = await SendAsync(RequestMethod.Post, new Uri($"{KeyId}/sign"), body, "sign", ct);
        return Base64Url.Decode(document.RootElement.GetProperty("value").GetString()!);
    }

    public async Task<bool> VerifyDigestAsync(string keyId, byte[] sha256Digest, byte[] signature, CancellationToken ct) =>
        await PublicKeyOfAsync(keyId, ct) is { } key && key.VerifyHash(sha256Digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public async Task<byte[]?> PublicKeyAsync(string keyId, CancellationToken ct) =>
        (await PublicKeyOfAsync(keyId, ct))?.ExportSubjectPublicKeyInfo();

    /// <summary>The public half of a key version of this vault (fetched once); null for a key id elsewhere.</summary>
    private async Task<ECDsa?> PublicKeyOfAsync(string keyId, CancellationToken ct)
    {
        if (!keyId.StartsWith(_options.VaultUri!.ToString().TrimEnd('/') + "/keys/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (!_publicKeys.TryGetValue(keyId, out var key))
        {
            using var document = await SendAsync(RequestMethod.Get, new Uri(keyId), null, "get key", ct);
            key = _publicKeys.GetOrAdd(keyId, ImportJwk(document.RootElement.GetProperty("key")));
        }
        return key;
    }

    private async Task<JsonDocument> SendAsync(RequestMethod method, Uri uri, byte[]? body, string operation, CancellationToken ct)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        var builder = new RequestUriBuilder();
        builder.Reset(uri);
        builder.AppendQuery("api-version", ApiVersion);
        message.Request.Uri = builder;
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(body);
        }
        await _pipeline.SendAsync(message, ct);
        var response = message.Response;
        if (response.Status is < 200 or >= 300)
        {
            throw KeyVaultException.From(response.Status, operation);
        }
        return await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: ct);
    }

    private static ECDsa ImportJwk(JsonElement jwk)
    {
        if (jwk.GetProperty("kty").GetString() is not ("EC" or "EC-HSM") || jwk.GetProperty("crv").GetString() != "P-256")
        {
            throw new KeyVaultException(0, "The Key Vault key must be an EC P-256 key (ES256)");
        }
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Base64Url.Decode(jwk.GetProperty("x").GetString()!),
                Y = Base64Url.Decode(jwk.GetProperty("y").GetString()!),
            },
        });
    }

    private sealed class KeyVaultClientOptions : ClientOptions;
}
