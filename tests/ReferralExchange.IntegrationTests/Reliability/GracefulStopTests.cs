using System.Net;
using Microsoft.Data.Sqlite;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 13 §6, clean stop: SIGTERM while a submission is in flight (held up by a write lock taken
/// from outside) still answers that submission once the lock goes, the referral is there after a
/// restart, and the process exits 0.
/// </summary>
public sealed class GracefulStopTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-stop-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task SigTerm_WithSubmissionInFlight_AnswersItAndExitsZero()
    {
        var port = GatewayProcess.FreePort();
        var (gateway, _) = GatewayProcess.Start(Settings(port));
        using (gateway)
        {
            using var psw = await GatewayProcess.ReadyClientAsync(_root, port, GatewayFixture.Psw);
            await psw.SubmitReferralAsync(ReferralSamples.Native()); // token in hand, schema warm

            using var holder = new SqliteConnection($"Data Source={Path.Combine(_root, "data", "referral-exchange.db")};Pooling=False;Default Timeout=30");
            holder.Open();
            Execute(holder, "BEGIN IMMEDIATE;");
            var inFlight = psw.PostNativeAsync(ReferralSamples.Native(referralId: "STOP-1"));
            await Task.Delay(1000);
            GatewayProcess.Terminate(gateway);
            await Task.Delay(1000);
            Execute(holder, "ROLLBACK;");

            var response = await inFlight;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await gateway.WaitForExitAsync(exited.Token);
            Assert.Equal(0, gateway.ExitCode);
        }
        SqliteConnection.ClearAllPools();
        Assert.True(AuditChainFile.AssertIntact(Path.Combine(_root, "data", "referral-exchange.db")) >= 2);
        Assert.Equal(1, CountReferral("STOP-1"));
    }

    private Dictionary<string, string> Settings(int port) => new()
    {
        ["Gateway__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway__DataDirectory"] = Path.Combine(_root, "data"),
        ["Gateway__CertificatesDirectory"] = Path.Combine(_root, "certs"),
        ["Gateway__Audit__LocalKeyPath"] = Path.Combine(_root, "certs", "audit-signing.key"),
        // Long enough that the submission waits for the lock rather than answering 503.
        ["Gateway__Database__BusyTimeout"] = "00:00:30",
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    private long CountReferral(string referralId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "data", "referral-exchange.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Referrals WHERE IdentifierValue = $id";
        command.Parameters.AddWithValue("$id", referralId);
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        try { Directory.Delete(DevCertificateFiles.DefaultCaDirectory(Path.Combine(_root, "certs")), recursive: true); } catch (IOException) { }
    }
}
