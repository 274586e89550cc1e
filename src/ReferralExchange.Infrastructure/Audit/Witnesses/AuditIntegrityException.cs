namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>The gateway will not sign: the trail is not (or not yet known to be) consistent with what the witnesses hold.</summary>
public sealed class AuditIntegrityException(string message) : Exception(message);
