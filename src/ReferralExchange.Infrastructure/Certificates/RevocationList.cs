using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

/// <summary>
/// The partner CA's certificate revocation list (RFC 5280 §5), read from a file offline: its
/// signature is verified against the CA before any entry is believed, and the file is re-read
/// when it changes, so a revocation holds from the next handshake and the next request.
/// </summary>
public sealed class RevocationList(string path, IReadOnlyList<X509Certificate2> issuers)
{
    private readonly Lock _lock = new();
    private (DateTime Written, long Length) _loaded;
    private HashSet<string> _revokedSerials = [];

    public string Path { get; } = path;

    public bool IsRevoked(X509Certificate2 certificate)
    {
        Refresh();
        return _revokedSerials.Contains(certificate.SerialNumber.TrimStart('0').ToUpperInvariant());
    }

    private void Refresh()
    {
        if (!File.Exists(Path))
        {
            return;
        }
        var info = new FileInfo(Path);
        var written = (info.LastWriteTimeUtc, info.Length);
        if (written == _loaded)
        {
            return;
        }
        lock (_lock)
        {
            if (written == _loaded)
            {
                return;
            }
            var der = File.ReadAllBytes(Path);
            _revokedSerials = Parse(der, issuers) ?? throw new CryptographicException($"The CRL at {Path} is not signed by the partner CA");
            _loaded = written;
        }
    }

    /// <summary>The revoked serial numbers (hex, upper case, no leading zeros), or null when no issuer's key verifies the CRL.</summary>
    public static HashSet<string>? Parse(byte[] der, IReadOnlyList<X509Certificate2> issuers)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue();
        outer.ReadSequence(); // signatureAlgorithm
        var signature = outer.ReadBitString(out _);
        if (!issuers.Any(issuer => Verifies(issuer, tbs.Span, signature)))
        {
            return null;
        }

        var serials = new HashSet<string>();
        var fields = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        if (fields.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            fields.ReadInteger(); // version
        }
        fields.ReadSequence(); // signature
        fields.ReadEncodedValue(); // issuer
        fields.ReadEncodedValue(); // thisUpdate
        if (fields.HasData && (fields.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || fields.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
        {
            fields.ReadEncodedValue(); // nextUpdate
        }
        if (fields.HasData && fields.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = fields.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                var serial = entry.ReadIntegerBytes().ToArray();
                serials.Add(Convert.ToHexString(serial).TrimStart('0'));
            }
        }
        return serials;
    }

    private static bool Verifies(X509Certificate2 issuer, ReadOnlySpan<byte> tbs, byte[] signature)
    {
        using var ec = issuer.GetECDsaPublicKey();
        if (ec is not null)
        {
            return ec.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        using var rsa = issuer.GetRSAPublicKey();
        return rsa?.VerifyData(tbs, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) == true;
    }
}
