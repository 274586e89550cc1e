using System.Text;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.Core.Tests.Audit;

/// <summary>Canonical form version 2 (ADR 0012) adds resource hashes without breaking version 1 records.</summary>
public sealed class AuditCanonicalFormTests
{
    // A record exactly as version 1 wrote it (no "sha256" on its resources).
    private const string VersionOnePayload =
        "{\"v\":1,\"seq\":1,\"prev\":\"" + "0000000000000000000000000000000000000000000000000000000000000000" + "\",\"recorded\":\"2026-11-23T08:00:00.0000000Z\"," +
        "\"action\":\"update\",\"outcome\":0,\"partner\":\"bh-riverside\",\"resources\":[{\"ref\":\"Task/a/_history/2\",\"labels\":[\"R\"]}],\"request\":\"r1\"}";

    [Fact]
    public async Task Verify_VersionOneRecord_StillVerifies()
    {
        var payload = Encoding.UTF8.GetBytes(VersionOnePayload);
        var recorded = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var entry = new AuditLogEntry(1, payload, AuditChain.Genesis, AuditChain.Hash(payload), recorded.UtcTicks, "bh-riverside", null, "update", 0);

        var report = await new AuditVerifier(new NoKeys()).VerifyAsync(One(entry), []);

        Assert.True(report.IsIntact, report.Reason);
    }

    [Fact]
    public void Read_VersionOneRecord_HasResourcesWithoutHashes()
    {
        var (_, _, record) = AuditCanonicalForm.Read(Encoding.UTF8.GetBytes(VersionOnePayload));

        Assert.Null(Assert.Single(record.Resources).ContentHash);
    }

    [Fact]
    public void WriteThenRead_ResourceHash_RoundTrips()
    {
        var hash = new string('A', 64);
        var record = new AuditRecord
        {
            Action = AuditActions.Create, Outcome = AuditOutcome.Success, Recorded = DateTimeOffset.UnixEpoch, PartnerId = "psw-metro", RequestId = "r",
            Resources = [new AuditedResource("Task/a/_history/1", [], hash), new AuditedResource("Patient/b", [])],
        };

        var (_, _, read) = AuditCanonicalForm.Read(AuditCanonicalForm.Write(1, AuditChain.Genesis, record));

        Assert.Equal([hash, null], read.Resources.Select(r => r.ContentHash));
    }

    [Fact]
    public void Read_UnknownFutureVersion_IsRefused()
    {
        var payload = Encoding.UTF8.GetBytes(VersionOnePayload.Replace("\"v\":1", "\"v\":99"));

        Assert.Throws<FormatException>(() => AuditCanonicalForm.Read(payload));
    }

    private static async IAsyncEnumerable<AuditLogEntry> One(AuditLogEntry entry)
    {
        await Task.Yield();
        yield return entry;
    }

    private sealed class NoKeys : IKeySigner
    {
        public string KeyId => "none";
        public Task<byte[]> SignDigestAsync(byte[] sha256Digest, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> VerifyDigestAsync(string keyId, byte[] sha256Digest, byte[] signature, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<byte[]?> PublicKeyAsync(string keyId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
