namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// A configuration the gateway refuses to run with (production safety checks). Program logs its
/// message as one line and exits non-zero; the message names the setting, never a secret.
/// </summary>
public sealed class GatewayStartupException(string message) : Exception(message);
