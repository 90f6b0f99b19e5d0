using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace TokenFunction.StandIns;

/// <summary>How the vault misbehaves while an outage is switched on.</summary>
public enum VaultOutage
{
    None,

    /// <summary>Every request is answered 503 with Key Vault's error JSON; the SDK retries these.</summary>
    ServiceUnavailable,

    /// <summary>Every connection is reset before an answer; the SDK sees a transport error and retries.</summary>
    ConnectionReset,
}

/// <summary>
/// Azure Key Vault's secret read (GET /secrets/{name}[/{version}]) over HTTPS on 127.0.0.1, with its
/// challenge-based authentication: a request without a bearer token is answered 401 with a challenge
/// naming a tenant and a resource. A token is accepted only if <see cref="IAccessTokenIssuer"/> issued it
/// for that resource. Secrets can be set (a new version each time), and faults switched on, at any
/// moment, from any thread.
/// <para>
/// Names, as with a real vault (kv-x.vault.azure.net, resource https://vault.azure.net): the SDK accepts
/// a challenge only if the vault's host is a subdomain of the resource's host (unless the app disables
/// that check, which it must not just for tests). So the vault is https://vault.localhost:{port}/ and the
/// resource https://localhost:{port}; an IP address cannot be anyone's subdomain. Clients reach the
/// name through <see cref="LoopbackConnectProxy"/>.
/// </para>
/// <para>
/// A child worker process needs: KeyVault__VaultUri = <see cref="VaultUri"/>, HTTPS_PROXY = the proxy's
/// Address, SSL_CERT_FILE = <see cref="TestCertificate.WritePemFile"/>, and the managed-identity stand-in's
/// EnvironmentVariables (IDENTITY_ENDPOINT, IDENTITY_HEADER).
/// </para>
/// </summary>
public sealed class KeyVaultStandIn : IAsyncDisposable
{
    private readonly IAccessTokenIssuer _tokenIssuer;
    private readonly SecretStore _secrets = new();
    private readonly ConcurrentDictionary<string, int> _authorizedReads = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private LoopbackServer? _server;
    private int _challenges;
    private int _rejectedTokens;
    private int _outageAnswers;
    private int _forbiddenToGo;
    private int _outage;
    private long _responseDelayTicks;

    private KeyVaultStandIn(IAccessTokenIssuer tokenIssuer) => _tokenIssuer = tokenIssuer;

    /// <summary>The vault's host name; resolves only through <see cref="LoopbackConnectProxy"/>.</summary>
    public const string HostName = "vault.localhost";

    /// <summary>For example <c>https://vault.localhost:41234/</c>: what the app's KeyVault:VaultUri is set to.</summary>
    public Uri VaultUri => new UriBuilder(Server.BaseAddress) { Host = HostName }.Uri;

    /// <summary>The resource the challenge names, and the one a token must be issued for: unique to this vault by its port.</summary>
    public string Resource => $"https://localhost:{Server.BaseAddress.Port}";

    /// <summary>The tenant the challenge names (its authorization URI is https://login.microsoftonline.com/{TenantId}).</summary>
    public string TenantId { get; } = Guid.NewGuid().ToString();

    /// <summary>401 challenges answered to requests without a bearer token.</summary>
    public int ChallengeCount => Volatile.Read(ref _challenges);

    /// <summary>401s answered to bearer tokens this vault did not accept (unknown, or issued for another resource).</summary>
    public int RejectedTokenCount => Volatile.Read(ref _rejectedTokens);

    /// <summary>Requests answered by an outage (503 or a reset connection).</summary>
    public int OutageAnswerCount => Volatile.Read(ref _outageAnswers);

    public VaultOutage Outage
    {
        get => (VaultOutage)Volatile.Read(ref _outage);
        set => Volatile.Write(ref _outage, (int)value);
    }

    /// <summary>How long each authorized read waits before it is answered (for concurrency and timeout tests).</summary>
    public TimeSpan ResponseDelay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _responseDelayTicks));
        set => Volatile.Write(ref _responseDelayTicks, value.Ticks);
    }

    private LoopbackServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public static async Task<KeyVaultStandIn> StartAsync(TestCertificate certificate, IAccessTokenIssuer tokenIssuer)
    {
        var standIn = new KeyVaultStandIn(tokenIssuer);
        standIn._server = await LoopbackServer.StartAsync(certificate.Certificate, standIn.HandleAsync);
        return standIn;
    }

    /// <summary>
    /// Stores a new current version of the secret (creating it if needed), with its tags and expiry date, and returns
    /// the version id. Like Key Vault, the stand-in still serves it after that date.
    /// </summary>
    public string SetSecret(string name, string value, IReadOnlyDictionary<string, string>? tags = null, DateTimeOffset? expiresOn = null) =>
        _secrets.Set(name, value, tags ?? new Dictionary<string, string>(), expiresOn);

    /// <summary>Authorized GETs of this secret (any version, whatever the answer); challenges are not counted.</summary>
    public int AuthorizedReadCount(string name) => _authorizedReads.GetValueOrDefault(name);

    /// <summary>The secret names read with a valid token, each once.</summary>
    public IReadOnlyCollection<string> SecretNamesRead => [.. _authorizedReads.Keys];

    /// <summary>The next <paramref name="reads"/> authorized reads are refused 403 ForbiddenByRbac, as while a role assignment propagates.</summary>
    public void ForbidNextReads(int reads) => Volatile.Write(ref _forbiddenToGo, reads);

    private async Task HandleAsync(HttpContext context)
    {
        if (Outage != VaultOutage.None)
        {
            await AnswerOutageAsync(context);
            return;
        }

        if (!TryParseSecretPath(context.Request, out var name, out var version))
        {
            await KeyVaultAnswers.ErrorAsync(context, HttpStatusCode.BadRequest, "BadParameter", "Only GET /secrets/{name}[/{version}]?api-version=... is served here.");
            return;
        }

        if (!await AuthorizeAsync(context))
        {
            return;
        }

        _authorizedReads.AddOrUpdate(name, 1, (_, count) => count + 1);
        await DelayAsync(context);

        if (TryTakeForbidden())
        {
            await KeyVaultAnswers.ForbiddenByRbacAsync(context, name);
        }
        else if (_secrets.Find(name, version) is { } secret)
        {
            await KeyVaultAnswers.SecretAsync(context, VaultUri, name, secret);
        }
        else
        {
            await KeyVaultAnswers.ErrorAsync(context, HttpStatusCode.NotFound, "SecretNotFound",
                $"A secret with (name/id) {name}{(version is null ? "" : "/" + version)} was not found in this key vault.");
        }
    }

    private Task AnswerOutageAsync(HttpContext context)
    {
        Interlocked.Increment(ref _outageAnswers);
        if (Outage == VaultOutage.ConnectionReset)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        return KeyVaultAnswers.ErrorAsync(context, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable.");
    }

    /// <summary>Answers 401 (challenge or rejected token) and returns false unless the request carries a token issued for this vault.</summary>
    private async Task<bool> AuthorizeAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            Interlocked.Increment(ref _challenges);
            await KeyVaultAnswers.ChallengeAsync(context, TenantId, Resource, "AKV10000: Request is missing a Bearer or PoP token.");
            return false;
        }

        const string Bearer = "Bearer ";
        var token = authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? authorization[Bearer.Length..].Trim() : "";
        if (_tokenIssuer.Issued(token, Resource))
        {
            return true;
        }

        Interlocked.Increment(ref _rejectedTokens);
        await KeyVaultAnswers.ChallengeAsync(context, TenantId, Resource, "AKV10022: Invalid audience.");
        return false;
    }

    private async Task DelayAsync(HttpContext context)
    {
        var delay = ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(delay, abandon.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private bool TryTakeForbidden()
    {
        while (true)
        {
            var left = Volatile.Read(ref _forbiddenToGo);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _forbiddenToGo, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private static bool TryParseSecretPath(HttpRequest request, out string name, out string? version)
    {
        name = "";
        version = null;
        // The SDK asks for the current version as /secrets/{name}/ (an empty version segment).
        var segments = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (!HttpMethods.IsGet(request.Method) || string.IsNullOrEmpty(request.Query["api-version"])
            || segments.Length is < 2 or > 3 || segments[0] != "secrets")
        {
            return false;
        }

        name = segments[1];
        version = segments.Length == 3 ? segments[2] : null;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stopping.Dispose();
    }

    /// <summary>Every version of every secret; the last set is the current one.</summary>
    private sealed class SecretStore
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, List<StoredSecret>> _versions = new(StringComparer.OrdinalIgnoreCase);

        public string Set(string name, string value, IReadOnlyDictionary<string, string> tags, DateTimeOffset? expiresOn)
        {
            var secret = new StoredSecret(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), value, DateTimeOffset.UtcNow, tags, expiresOn);
            lock (_gate)
            {
                if (!_versions.TryGetValue(name, out var versions))
                {
                    _versions[name] = versions = [];
                }

                versions.Add(secret);
            }

            return secret.Version;
        }

        public StoredSecret? Find(string name, string? version)
        {
            lock (_gate)
            {
                return !_versions.TryGetValue(name, out var versions) ? null
                    : version is null ? versions[^1]
                    : versions.Find(secret => string.Equals(secret.Version, version, StringComparison.OrdinalIgnoreCase));
            }
        }
    }
}

/// <summary>One stored version of a secret.</summary>
public sealed record StoredSecret(string Version, string Value, DateTimeOffset Created, IReadOnlyDictionary<string, string> Tags, DateTimeOffset? ExpiresOn = null);
