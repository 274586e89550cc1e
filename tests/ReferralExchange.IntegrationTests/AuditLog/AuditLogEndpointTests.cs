using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.AuditLog;

/// <summary>
/// <c>/audit/checkpoint</c>, <c>/audit/consistency</c> and <c>/audit/inclusion</c> on the real
/// gateway (ADR 0011): what a partner receives verifies with the gateway's public key and the RFC
/// algorithms alone, and an inclusion proof is given only for a record the caller may see.
/// </summary>
public sealed class AuditLogEndpointTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Checkpoint_AfterTraffic_IsASignedNoteOverTheRecordsInTheFile()
    {
        await gateway.GenerateTrafficAsync(1);
        var size = await gateway.CheckpointAsync();
        using var partner = gateway.ClientFor(GatewayFixture.Housing);

        var response = await partner.GetAsync("/audit/checkpoint");
        var note = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var signed = SignedCheckpoint.Parse(note);
        Assert.True(signed.VerifiedBy(AuditLogFile.NoteKey(gateway, signed.Checkpoint.Origin)));
        Assert.True(signed.Checkpoint.Size >= size);
        // The root is the RFC 9162 tree over the stored canonical bytes, recomputed here from the file.
        var tree = new CompactRange();
        for (long s = 1; s <= signed.Checkpoint.Size; s++) tree.Append(RfcInclusionCheck.LeafHash(AuditLogFile.Payload(gateway, s)));
        Assert.Equal(tree.Root(), signed.Checkpoint.RootHash);
    }

    [Fact]
    public async Task Consistency_BetweenTwoCheckpoints_Verifies()
    {
        await gateway.GenerateTrafficAsync(1);
        await gateway.CheckpointAsync();
        var first = SignedCheckpoint.Parse(await CheckpointTextAsync());
        await gateway.GenerateTrafficAsync(1);
        await gateway.CheckpointAsync();
        var second = SignedCheckpoint.Parse(await CheckpointTextAsync());
        using var partner = gateway.ClientFor(GatewayFixture.Housing);

        var body = await (await partner.GetAsync($"/audit/consistency?from={first.Checkpoint.Size}&to={second.Checkpoint.Size}")).JsonAsync();
        var proof = body["proof"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList();

        Assert.True(second.Checkpoint.Size > first.Checkpoint.Size);
        Assert.True(MerkleVerifier.VerifyConsistency(first.Checkpoint.Size, second.Checkpoint.Size, first.Checkpoint.RootHash, second.Checkpoint.RootHash, proof));
    }

    [Theory]
    [InlineData("from=5&to=2")]
    [InlineData("from=0&to=2")]
    [InlineData("from=1&to=99999999")]
    [InlineData("from=abc&to=2")]
    [InlineData("to=2")]
    public async Task Consistency_BadRange_Is400WithAnOperationOutcome(string query)
    {
        await gateway.GenerateTrafficAsync(1);
        await gateway.CheckpointAsync();
        using var partner = gateway.ClientFor(GatewayFixture.Housing);

        var response = await partner.GetAsync($"/audit/consistency?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Inclusion_OwnRecord_VerifiesWithOnlyTheRfcAlgorithm()
    {
        await gateway.GenerateTrafficAsync(1);
        var record = AuditLogFile.FirstRecord(gateway, $"\"PartnerId\" = '{GatewayFixture.BehavioralHealth}'");
        await gateway.CheckpointAsync();
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var body = await (await provider.GetAsync($"/audit/inclusion?record={record}")).JsonAsync();

        var note = body["checkpoint"]!.GetValue<string>();
        var leafIndex = body["leafIndex"]!.GetValue<long>();
        var treeSize = body["treeSize"]!.GetValue<long>();
        var path = body["proof"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList();
        var leaf = RfcInclusionCheck.LeafHash(AuditLogFile.Payload(gateway, record));
        Assert.Equal(record - 1, leafIndex);
        Assert.Equal(RfcInclusionCheck.SizeOf(note), treeSize);
        Assert.Equal(Convert.ToBase64String(leaf), body["leafHash"]!.GetValue<string>());
        Assert.True(RfcInclusionCheck.Verify(leafIndex, treeSize, leaf, path, RfcInclusionCheck.RootOf(note)));
        Assert.False(RfcInclusionCheck.Verify(leafIndex, treeSize, RfcInclusionCheck.LeafHash([1, 2, 3]), path, RfcInclusionCheck.RootOf(note)));
    }

    [Fact]
    public async Task Inclusion_AnotherPartnersRecord_AnswersExactlyAsAMissingRecord()
    {
        await gateway.GenerateTrafficAsync(1);
        var record = AuditLogFile.FirstRecord(gateway, $"\"PartnerId\" = '{GatewayFixture.BehavioralHealth}'");
        await gateway.CheckpointAsync();
        using var stranger = gateway.ClientFor(GatewayFixture.Housing);

        var theirs = await stranger.GetAsync($"/audit/inclusion?record={record}");
        var missing = await stranger.GetAsync("/audit/inclusion?record=987654321");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(IssueOf(await missing.JsonAsync()).Replace("987654321", "N"), IssueOf(await theirs.JsonAsync()).Replace(record.ToString(), "N"));
    }

    [Fact]
    public async Task Inclusion_ReferralSource_GetsTheDisclosuresOfItsPerson()
    {
        await gateway.GenerateTrafficAsync(1);
        var disclosure = AuditLogFile.FirstRecord(gateway,
            $"\"PartnerId\" = '{GatewayFixture.BehavioralHealth}' AND \"Action\" = 'read' AND \"Outcome\" = 0 AND \"PatientId\" IS NOT NULL");
        await gateway.CheckpointAsync();
        using var source = gateway.ClientFor(GatewayFixture.Psw);

        var response = await source.GetAsync($"/audit/inclusion?record={disclosure}");
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var canonical = Convert.FromBase64String(body["canonicalRecord"]!.GetValue<string>());
        Assert.Equal(AuditLogFile.Payload(gateway, disclosure), canonical);
        var (sequence, _, recordRead) = AuditCanonicalForm.Read(canonical);
        Assert.Equal(disclosure, sequence);
        Assert.Equal(GatewayFixture.BehavioralHealth, recordRead.PartnerId);
    }

    [Fact]
    public async Task AccountingOfDisclosures_EachDisclosure_CarriesItsLeafIndexAndCheckpointSize()
    {
        await gateway.GenerateTrafficAsync(1);
        var disclosure = AuditLogFile.FirstRecord(gateway,
            $"\"PartnerId\" = '{GatewayFixture.BehavioralHealth}' AND \"Action\" = 'read' AND \"Outcome\" = 0 AND \"PatientId\" IS NOT NULL");
        var patient = AuditLogFile.PatientOf(gateway, disclosure);
        var size = await gateway.CheckpointAsync();
        using var source = gateway.ClientFor(GatewayFixture.Psw);

        var bundle = await (await source.GetAsync($"/fhir/Patient/{patient}/$accounting-of-disclosures")).JsonAsync();

        var entry = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["id"]!.GetValue<string>() == disclosure.ToString());
        var position = entry["extension"]!.AsArray().Single(e => e!["url"]!.GetValue<string>() == AuditLogPosition.Url)!["extension"]!.AsArray();
        Assert.Equal(disclosure - 1, position.Single(e => e!["url"]!.GetValue<string>() == "leafIndex")!["valueDecimal"]!.GetValue<decimal>());
        Assert.True(position.Single(e => e!["url"]!.GetValue<string>() == "treeSize")!["valueDecimal"]!.GetValue<decimal>() >= size);
    }

    private async Task<string> CheckpointTextAsync()
    {
        using var partner = gateway.ClientFor(GatewayFixture.Housing);
        return await partner.GetStringAsync("/audit/checkpoint");
    }

    private static string IssueOf(JsonObject outcome) => outcome["issue"]!.AsArray()[0]!.ToJsonString();
}
