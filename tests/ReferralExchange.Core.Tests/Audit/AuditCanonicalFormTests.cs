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

    [Fact]
    public void Write_IsByteForByteTheCanonicalForm_EvenAfterALargerRecordOnTheSameThread()
    {
        // The writer and its buffer are reused per thread (ADR 0027); the bytes hashed into the chain must not change.
        var record = new AuditRecord
        {
            Action = AuditActions.Read, Outcome = AuditOutcome.Success, Recorded = DateTimeOffset.UnixEpoch, PartnerId = "bh-riverside", RequestId = "r",
            Resources = [new AuditedResource("Task/a/_history/1", ["R"])],
        };
        const string expected = "{\"v\":2,\"seq\":3,\"prev\":\"" + "0000000000000000000000000000000000000000000000000000000000000000" +
            "\",\"recorded\":\"1970-01-01T00:00:00.0000000Z\",\"action\":\"read\",\"outcome\":0,\"partner\":\"bh-riverside\"," +
            "\"resources\":[{\"ref\":\"Task/a/_history/1\",\"labels\":[\"R\"]}],\"request\":\"r\"}";

        var first = AuditCanonicalForm.Write(3, AuditChain.Genesis, record);
        AuditCanonicalForm.Write(4, AuditChain.Genesis, record with { Detail = new string('x', 100_000) });
        var again = AuditCanonicalForm.Write(3, AuditChain.Genesis, record);

        Assert.Equal(expected, Encoding.UTF8.GetString(first));
        Assert.Equal(first, again);
    }

    [Fact]
    public void ReusableJsonWriter_RentedInsideARent_IsItsOwnWriter()
    {
        using var outer = ReferralExchange.Core.Fhir.ReusableJsonWriter.Rent();
        outer.Json.WriteStartObject();
        using (var inner = ReferralExchange.Core.Fhir.ReusableJsonWriter.Rent())
        {
            Assert.NotSame(outer, inner);
            inner.Json.WriteStringValue("x");
            Assert.Equal("\"x\"", Encoding.UTF8.GetString(inner.Written));
        }
        outer.Json.WriteEndObject();

        Assert.Equal("{}", Encoding.UTF8.GetString(outer.Written));
    }
}
