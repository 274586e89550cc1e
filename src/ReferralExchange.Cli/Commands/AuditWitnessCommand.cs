using System.CommandLine;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Outbound;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx audit witness</c>: plays a partner that witnesses the gateway's audit log (ADR 0011). It
/// fetches <c>/audit/checkpoint</c> over mutual TLS with the partner's certificate and token,
/// checks the signature with the gateway's checkpoint public key — a PEM file obtained out of band,
/// never fetched from the gateway it is checking — checks consistency with the checkpoint it
/// stored last (<c>/audit/consistency</c>, verified with the RFC 9162 verifier), and stores the
/// new one in <c>--state</c>. Exit 0 when accepted, 2 when the log is inconsistent, shrank or is
/// not signed by the key, 1 on usage or network errors.
/// </summary>
public static class AuditWitnessCommand
{
    private const string StateFile = "checkpoint";

    public static Command Create(TextWriter output)
    {
        var url = new Option<string>("--url") { Description = "The gateway's base URL", Required = true };
        var state = new Option<DirectoryInfo>("--state") { Description = "Where this witness keeps the last checkpoint it accepted", Required = true };
        var publicKey = new Option<FileInfo>("--public-key") { Description = "The gateway's checkpoint public key (PEM), obtained out of band", Required = true };
        var certificate = new Option<FileInfo>("--client-certificate") { Description = "This partner's client certificate (PKCS#12)", Required = true };
        var ca = new Option<FileInfo>("--ca") { Description = "The CA the gateway's server certificate chains to (PEM)", Required = true };
        var origin = new Option<string?>("--origin") { Description = "The log's origin line; default: the one of the first checkpoint accepted" };

        var command = new Command("witness", "Check the gateway's latest checkpoint against the one witnessed before, and keep it") { url, state, publicKey, certificate, ca, origin };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await WitnessAsync(parse, url, state, publicKey, certificate, ca, origin, output, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException
                or HttpRequestException or InvalidOperationException or TaskCanceledException or FormatException or System.Text.Json.JsonException)
            {
                // Usage, files, keys or network: say what failed, never a stack trace (exit 1, not 2: nothing was proven wrong).
                await output.WriteLineAsync($"ERROR: {e.GetType().Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> WitnessAsync(ParseResult parse, Option<string> url, Option<DirectoryInfo> state, Option<FileInfo> publicKey,
        Option<FileInfo> certificate, Option<FileInfo> ca, Option<string?> origin, TextWriter output, CancellationToken ct)
    {
        {
            var stateDirectory = parse.GetValue(state)!;
            var keyFile = parse.GetValue(publicKey)!;
            if (!keyFile.Exists)
            {
                await output.WriteLineAsync($"No public key at {keyFile.FullName}");
                return 1;
            }
            stateDirectory.Create();
            var statePath = Path.Combine(stateDirectory.FullName, StateFile);
            var accepted = File.Exists(statePath) ? SignedCheckpoint.Parse(await File.ReadAllTextAsync(statePath, ct)) : null;

            using var http = Client(new Uri(parse.GetValue(url)!), parse.GetValue(certificate)!, parse.GetValue(ca)!);
            string note;
            using (var response = await http.GetAsync("/audit/checkpoint", ct))
            {
                if (!response.IsSuccessStatusCode)
                {
                    await output.WriteLineAsync($"GET /audit/checkpoint answered {(int)response.StatusCode}");
                    return 1;
                }
                note = await response.Content.ReadAsStringAsync(ct);
            }

            // The origin is pinned by the first accepted checkpoint (or given); the key always by the file.
            var logOrigin = parse.GetValue(origin) ?? accepted?.Checkpoint.Origin ?? SafeOrigin(note);
            var key = EcdsaNoteKey.FromPem(logOrigin, await File.ReadAllTextAsync(keyFile.FullName, ct));
            var verdict = await new CheckpointWitness(key).CheckAsync(accepted, note, (from, to, token) => ConsistencyAsync(http, from, to, token), ct);
            if (!verdict.Accepted)
            {
                await output.WriteLineAsync($"INCONSISTENT: {verdict.Reason}");
                return 2;
            }
            // Written aside and moved: a crash leaves the old checkpoint or the new one, never half of one.
            var temporary = statePath + ".new";
            await File.WriteAllTextAsync(temporary, verdict.Checkpoint!.Text, ct);
            File.Move(temporary, statePath, overwrite: true);
            await output.WriteLineAsync($"WITNESSED: {verdict.Reason}; root {Convert.ToBase64String(verdict.Checkpoint.Checkpoint.RootHash)}");
            return 0;
        }
    }

    private static string SafeOrigin(string note)
    {
        var firstLine = note.Split('\n', 2)[0];
        return firstLine.Length == 0 || firstLine.Any(char.IsWhiteSpace) || firstLine.Contains('+') ? "invalid-origin" : firstLine;
    }

    private static async Task<IReadOnlyList<byte[]>> ConsistencyAsync(HttpClient http, long from, long to, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/audit/consistency?from={from}&to={to}", ct);
        if (!response.IsSuccessStatusCode)
        {
            // No proof is a failed proof: the verifier then refuses the checkpoint.
            return [];
        }
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        return body["proof"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList();
    }

    private static HttpClient Client(Uri gateway, FileInfo certificateFile, FileInfo caFile)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificateFile.FullName, null);
        var ca = X509CertificateLoader.LoadCertificateFromFile(caFile.FullName);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
            },
        };
        // The partner's client id is its certificate's subject name, as the gateway registers it.
        var clientId = certificate.GetNameInfo(X509NameType.SimpleName, false);
        return new HttpClient(new ClientCredentialsHandler(clientId) { InnerHandler = handler }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(120) };
    }
}
