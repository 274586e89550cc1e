using System.Net.Security;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// The cipher suites the gateway accepts. TLS 1.2 only with ephemeral ECDHE key exchange (forward
/// secrecy) and an AEAD cipher, as RFC 9325 §4.2 recommends: no CBC suites (LUCKY13, RFC 9325 §4.1
/// "obsolete"), no static-RSA key exchange. TLS 1.3 suites are all AEAD (RFC 8446 §9.1); they must
/// be listed too, because on Linux (OpenSSL) a policy without them disables TLS 1.3 altogether.
/// RSA variants stay so that an operator's RSA server certificate keeps working in production.
/// </summary>
public static class TlsCipherSuites
{
    public static readonly IReadOnlyList<TlsCipherSuite> Allowed =
    [
        // TLS 1.3
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        // TLS 1.2: ECDHE + AEAD
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>A policy for one connection (CipherSuitesPolicy is honoured on Linux and macOS; Windows uses the OS's configuration).</summary>
    public static CipherSuitesPolicy? Policy() =>
        OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(Allowed);
}
