using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.StandIns;

/// <summary>
/// The real, OpenID Certified provider <c>oidc-provider</c> (npm) run by Node from OpenIdProvider/provider.mjs,
/// over https with a <see cref="TestCertificate"/>. Two issuers on one port and one key set: <see cref="Authority"/>
/// (the app's) and <see cref="NeighbourAuthority"/>; the <see cref="ProviderClient"/>s it is given, and the
/// resources of <see cref="ProviderResources"/>. Its npm packages are installed from the committed lock file on
/// first use (<see cref="Prerequisites"/>); the Node process is stopped on dispose.
/// </summary>
public class RealOpenIdProvider : ITestOpenIdProvider, IAsyncDisposable
{
    public const string IssuerPath = "/realms/videosdk";
    public const string NeighbourIssuerPath = "/realms/neighbour";

    /// <summary>Set by this library's project file to its own OpenIdProvider folder, so the script is found wherever the caller runs from.</summary>
    private const string DirectoryMetadataKey = "OpenIdProviderDirectory";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly string ScriptDirectory = typeof(RealOpenIdProvider).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == DirectoryMetadataKey).Value!;

    private readonly TestCertificate _certificate = TestCertificate.CreateForLoopback();
    private readonly DirectoryInfo _workDirectory = Directory.CreateTempSubdirectory("openid-provider-");
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly IReadOnlyList<ProviderClient> _clients;
    private string? _node;
    private Process? _process;
    private HttpClient? _client;
    private int _port;

    public string Authority => $"https://127.0.0.1:{_port}{IssuerPath}";

    /// <summary>Another issuer of the same server with the same signing keys: only <c>iss</c> tells its tokens apart.</summary>
    public string NeighbourAuthority => $"https://127.0.0.1:{_port}{NeighbourIssuerPath}";

    /// <summary>The key ids the provider publishes, newest first (the first of each algorithm signs).</summary>
    public IReadOnlyList<string> KeyIds { get; private set; } = [];

    /// <summary>The TLS certificate: trust it (SSL_CERT_FILE) in a worker that should reach this provider.</summary>
    public TestCertificate Certificate => _certificate;

    /// <param name="clients">The clients registered at the provider (client-credentials grant).</param>
    protected RealOpenIdProvider(IReadOnlyList<ProviderClient> clients) => _clients = clients;

    /// <summary>A running provider knowing <paramref name="clients"/>; dispose it.</summary>
    public static async Task<RealOpenIdProvider> StartAsync(IReadOnlyList<ProviderClient> clients)
    {
        var provider = new RealOpenIdProvider(clients);
        await provider.LaunchAsync();
        return provider;
    }

    /// <summary>Installs the npm packages if needed and starts Node; a <see cref="MissingPrerequisiteException"/> without Node.js 20 or later.</summary>
    protected async Task LaunchAsync()
    {
        _node = await Prerequisites.Machine.RequireNodeAsync();
        await Prerequisites.Machine.EnsureNpmPackagesAsync(ScriptDirectory);
        _client = new HttpClient(_certificate.CreateTrustingHandler());
        await File.WriteAllTextAsync(Path.Combine(_workDirectory.FullName, "tls.crt"), _certificate.ToPem());
        await File.WriteAllTextAsync(Path.Combine(_workDirectory.FullName, "tls.key"), _certificate.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await LaunchProcessAsync(newKeys: false);
    }

    public IReadOnlyList<string> Audiences => ProviderResources.Accepted;

    public HttpMessageHandler CreateTrustingHandler() => _certificate.CreateTrustingHandler();

    /// <summary>A real client-credentials request for an access token for <paramref name="resource"/>.</summary>
    public Task<string> GetTokenAsync(ProviderClient client, string resource = ProviderResources.Rs256) =>
        GetTokenAsync(client, resource, Authority);

    /// <summary>The same request at <see cref="NeighbourAuthority"/>.</summary>
    public Task<string> GetNeighbourTokenAsync(ProviderClient client, string resource = ProviderResources.Rs256) =>
        GetTokenAsync(client, resource, NeighbourAuthority);

    /// <summary>The provider's published key set (public keys only), as any verifier reads it.</summary>
    public async Task<string> GetKeySetJsonAsync() => await _client!.GetStringAsync(Authority + "/jwks");

    /// <summary>
    /// The provider's own RS256 signing key (private, from its key store) and its kid: for tokens a trusted issuer
    /// could sign but this provider never would (malformed insides under a valid signature). Dispose the key.
    /// </summary>
    public (string Kid, RSA Key) RsaSigningKey()
    {
        using var store = JsonDocument.Parse(File.ReadAllText(Path.Combine(_workDirectory.FullName, "signing-keys.json")));
        // The first key of an algorithm is the one the provider signs with.
        var jwk = store.RootElement.GetProperty("keys").EnumerateArray().First(k => k.GetProperty("alg").GetString() == "RS256");
        byte[] Part(string name) => Base64UrlEncoder.DecodeBytes(jwk.GetProperty(name).GetString());
        var key = RSA.Create(new RSAParameters
        {
            Modulus = Part("n"), Exponent = Part("e"), D = Part("d"), P = Part("p"), Q = Part("q"),
            DP = Part("dp"), DQ = Part("dq"), InverseQ = Part("qi"),
        });
        return (jwk.GetProperty("kid").GetString()!, key);
    }

    /// <summary>
    /// Key rollover as an operator does it: the provider restarts on the same port with a new key set in
    /// front of the old one; new tokens are signed with the new keys, the old ones stay published.
    /// </summary>
    public async Task RestartWithNewKeysAsync()
    {
        StopProcess();
        await LaunchProcessAsync(newKeys: true);
    }

    private async Task<string> GetTokenAsync(ProviderClient client, string resource, string issuer)
    {
        using var response = await _client!.PostAsync(issuer + "/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.Id,
            ["client_secret"] = client.Secret,
            ["resource"] = resource,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The provider refused a token to {client.Id} for {resource}: {body}{Environment.NewLine}{string.Join(Environment.NewLine, _stderr)}");
        }

        return body.GetProperty("access_token").GetString()!;
    }

    private async Task LaunchProcessAsync(bool newKeys)
    {
        var settingsPath = Path.Combine(_workDirectory.FullName, "settings.json");
        await File.WriteAllTextAsync(settingsPath, JsonSerializer.Serialize(new
        {
            port = _port,
            certificateFile = Path.Combine(_workDirectory.FullName, "tls.crt"),
            privateKeyFile = Path.Combine(_workDirectory.FullName, "tls.key"),
            keyStoreFile = Path.Combine(_workDirectory.FullName, "signing-keys.json"),
            newKeys,
            issuerPaths = new[] { IssuerPath, NeighbourIssuerPath },
            resources = ProviderResources.Algorithms,
            clients = _clients.Select(c => new
            {
                clientId = c.Id,
                clientSecret = c.Secret,
                claims = c.Claims,
                overrides = c.Overrides,
                omit = c.Omit,
                lifetime = c.Lifetime is { } l ? new { notBefore = l.NotBefore, expires = l.Expires } : null,
            }),
        }));

        _process = StartNode(_node!, Path.Combine(ScriptDirectory, "provider.mjs"), settingsPath);
        var ready = await ReadReadyLineAsync(_process);
        _port = ready.GetProperty("port").GetInt32();
        KeyIds = [.. ready.GetProperty("kids").EnumerateArray().Select(k => k.GetString()!)];
    }

    private Process StartNode(string node, string script, string settingsPath)
    {
        var start = new ProcessStartInfo(node)
        {
            ArgumentList = { script, settingsPath },
            WorkingDirectory = ScriptDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => _stderr.Enqueue(e.Data ?? string.Empty);
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<JsonElement> ReadReadyLineAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is not null)
            {
                return JsonDocument.Parse(line).RootElement.Clone();
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new InvalidOperationException($"The OpenID provider did not start within {StartTimeout.TotalSeconds} s: {string.Join(Environment.NewLine, _stderr)}");
    }

    private void StopProcess()
    {
        if (_process is null)
        {
            return;
        }

        // Closing stdin is the script's signal to exit; the kill is for a process that does not.
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        StopProcess();
        _client?.Dispose();
        _certificate.Dispose();
        _workDirectory.Refresh();
        if (_workDirectory.Exists)
        {
            _workDirectory.Delete(recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
