namespace ReferralExchange.Infrastructure.Audit.Signing;

/// <summary>Key Vault refused or failed a key operation; the message says what an operator should check.</summary>
public sealed class KeyVaultException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static KeyVaultException From(int status, string operation) => new(status, status switch
    {
        401 => $"Key Vault refused the gateway's credential for {operation} (401): check the identity and its token audience",
        403 => $"Key Vault denied {operation} (403): grant the gateway's identity sign/get on the key",
        404 => $"Key Vault has no such key or version for {operation} (404)",
        429 => $"Key Vault is throttling {operation} (429) and retries are exhausted; checkpoints will be retried later",
        >= 500 => $"Key Vault is unavailable for {operation} ({status}) after retries; checkpoints will be retried later",
        _ => $"Key Vault answered {status} to {operation}",
    });
}
