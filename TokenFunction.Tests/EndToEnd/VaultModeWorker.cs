using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TokenFunction.Tests.Secrets;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.Tokens;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The built app as it runs in Azure: no secret in its settings, the key and secret read from the HTTPS
/// Key Vault stand-in with a token from the managed-identity stand-in. One worker per test class; a
/// class whose story changes the vault (rotation, outage, refusal) gets its own subclass.
/// </summary>
public abstract class VaultModeWorker : FunctionsHostFixture
{
    private readonly ConcurrentQueue<VaultCredentials> _stored = new();
    private AzureStandIns? _azure;

    public AzureStandIns Azure => _azure ?? throw new InvalidOperationException("The fixture has not started.");

    public KeyVaultStandIn Vault => Azure.Vault;

    /// <summary>The last credentials put in the vault.</summary>
    public VaultCredentials Current => _stored.LastOrDefault() ?? throw new InvalidOperationException("Nothing was put in the vault.");

    /// <summary>Null: the app's default (5 minutes).</summary>
    protected virtual TimeSpan? RefreshInterval => null;

    /// <summary>Null: the app's default (1 hour).</summary>
    protected virtual TimeSpan? MaxStaleness => null;

    /// <summary>Null: the app's default (10 seconds).</summary>
    protected virtual TimeSpan? FetchTimeout => null;

    /// <summary>Null: the system-assigned identity, as the Bicep deploys.</summary>
    protected virtual string? ManagedIdentityClientId => null;

    /// <summary>What the vault holds, and how it behaves, when the worker starts (and reads it at once).</summary>
    protected abstract void PrepareVault();

    /// <summary>A new key and secret version in the vault (a fresh secret unless given); remembered, so no log may ever contain them.</summary>
    public VaultCredentials PutNewCredentials(string? apiSecret = null)
    {
        var credentials = Azure.PutCredentials(SecretValues.NewApiKey(), apiSecret ?? SecretValues.NewApiSecret());
        _stored.Enqueue(credentials);
        return credentials;
    }

    public async Task<ReadResponse> HealthAsync() => await (await Client.GetAsync("api/health")).ReadAsync();

    /// <summary>The app's default token lifetime: vault mode sets no Tokens settings.</summary>
    public static int DefaultTtlSeconds => new TokenPolicyOptions().DefaultTtlSeconds;

    /// <summary>POST /api/token with the function key: the join request of <see cref="JoinTokenAssertions"/>.</summary>
    public async Task<ReadResponse> RequestTokenAsync()
    {
        var request = WithFunctionKey(HttpMethod.Post, "api/token");
        request.Content = JsonContent.Create(new { roomId = JoinTokenAssertions.RoomId, participantId = JoinTokenAssertions.ParticipantId });
        return await (await Client.SendAsync(request)).ReadAsync();
    }

    /// <summary>Asks again every 200 ms until <paramref name="done"/> holds; fails with the last answer and the worker's log after <paramref name="limit"/>.</summary>
    public async Task<ReadResponse> PollAsync(Func<Task<ReadResponse>> ask, Func<ReadResponse, bool> done, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var response = await ask();
            if (done(response))
            {
                return response;
            }

            if (waited.Elapsed > limit)
            {
                Assert.Fail($"Still {(int)response.Status} after {limit}: {response.Body}{Environment.NewLine}Worker log:{Environment.NewLine}{Host.Log.Tail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>
    /// Nothing the worker logged (RpcLog, console, failed invocations) holds a key or secret ever put in the
    /// vault, a token or its signature, the function key, a managed-identity token or the identity header.
    /// </summary>
    public void AssertNothingSecretWasLogged(IEnumerable<string> issuedTokens)
    {
        var forbidden = _stored.SelectMany(c => new[] { c.ApiKey, c.ApiSecret })
            .Concat(issuedTokens.SelectMany(token => new[] { token, token.Split('.')[^1] }))
            .Concat(Azure.IdentitySecrets)
            .Append(Host.Keys.FunctionKey)
            .Append("eyJ")
            .ToList();
        var logged = Host.Log.Snapshot();
        Assert.Contains(logged, e => e.Source == WorkerLogSource.Rpc && e.Category.StartsWith("TokenFunction.Secrets", StringComparison.Ordinal));
        var leaks = logged.Where(e => forbidden.Any(value => e.FullText.Contains(value, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "leaked into the worker's logs: " + string.Join(Environment.NewLine, leaks.Select(l => l.Source + "/" + l.Category)));
    }

    /// <summary>
    /// Health is 503 with nothing but "unhealthy" and the documented reason code: no backend, failure class,
    /// timestamps or bounds for an anonymous caller (those are in the log).
    /// </summary>
    public void AssertUnhealthy(ReadResponse health, string reasonCode)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal($"{{\"status\":\"unhealthy\",\"reason\":\"{reasonCode}\"}}", health.Body);
        AssertHoldsNoCredential(health);
    }

    /// <summary>Health is cached for a second, so a change shows within about that.</summary>
    public Task<ReadResponse> HealthyAsync() =>
        PollAsync(HealthAsync, h => h.Status == HttpStatusCode.OK && h.Body == "{\"status\":\"healthy\"}", TimeSpan.FromSeconds(5));

    /// <summary>Waits until the worker has logged <paramref name="text"/>: where the detail health no longer gives goes.</summary>
    public async Task AssertLoggedAsync(string text, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!Host.Log.Snapshot().Any(e => e.FullText.Contains(text, StringComparison.Ordinal)))
        {
            if (waited.Elapsed > limit)
            {
                Assert.Fail($"The worker did not log '{text}' within {limit}. Worker log:{Environment.NewLine}{Host.Log.Tail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>A 503 signing_credentials_unavailable problem with a whole number of seconds in Retry-After.</summary>
    public void AssertCredentialsUnavailable(ReadResponse response)
    {
        response.AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
        Assert.InRange(int.Parse(response.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 1, 300);
        AssertHoldsNoCredential(response);
    }

    private void AssertHoldsNoCredential(ReadResponse response)
    {
        foreach (var credentials in _stored)
        {
            Assert.DoesNotContain(credentials.ApiSecret, response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.ApiKey, response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.SecretVersion, response.Body, StringComparison.Ordinal);
        }
    }

    protected override async Task<FunctionsHostOptions> CreateOptionsAsync()
    {
        _azure = await AzureStandIns.StartAsync();
        PrepareVault();
        var options = new FunctionsHostOptions()
            // Every test request comes from one anonymous address; these tests are about the vault, not the limiter.
            .WithSetting("RateLimit__Burst", "100000")
            .WithSetting("RateLimit__TokensPerPeriod", "100000");
        if (ManagedIdentityClientId is { } clientId)
        {
            options.WithSetting("KeyVault__ManagedIdentityClientId", clientId);
        }

        return Azure.PointWorkerAt(options, RefreshInterval, MaxStaleness, FetchTimeout);
    }

    protected override async Task DisposeDependenciesAsync()
    {
        if (_azure is not null)
        {
            await _azure.DisposeAsync();
        }
    }
}
