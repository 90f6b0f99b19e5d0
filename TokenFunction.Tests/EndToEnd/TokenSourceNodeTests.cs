using System.Text.Json;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>Bearer mode where each caller may make 4 requests, then one an hour: the package's 429 path, for real.</summary>
public sealed class ThrottledBearerModeWorker : BearerModeWorker
{
    protected override void Configure(FunctionsHostOptions options) => options
        .WithSetting("RateLimit__Burst", "4")
        .WithSetting("RateLimit__TokensPerPeriod", "1")
        .WithSetting("RateLimit__ReplenishmentPeriod", "01:00:00");
}

/// <summary>Vault mode with the vault answering 503 from the start: every token request is refused 503 with Retry-After.</summary>
public sealed class VaultDownWorker : VaultModeWorker
{
    // The first request waits for the first load at most this long before it is answered 503.
    protected override TimeSpan? FetchTimeout => TimeSpan.FromSeconds(2);

    protected override void PrepareVault() => Vault.Outage = VaultOutage.ServiceUnavailable;
}

/// <summary>Both workers the package's integration tests call, started together.</summary>
public sealed class TokenSourceWorkers : IAsyncLifetime
{
    public ThrottledBearerModeWorker Bearer { get; } = new();

    public VaultDownWorker VaultDown { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(Bearer.InitializeAsync(), VaultDown.InitializeAsync());

    public Task DisposeAsync() => Task.WhenAll(Bearer.DisposeAsync(), VaultDown.DisposeAsync());
}

/// <summary>
/// The npm package clients/token-source run by its own scripts: its unit tests, then its integration tests
/// (clients/token-source/integration) against the real worker over the HTTP front: happy path and single flight,
/// 401 renewal, 429 with Retry-After, 503 during a vault outage, expiry renewal on a fake clock.
/// </summary>
public sealed class TokenSourceNodeTests(TokenSourceWorkers workers) : IClassFixture<TokenSourceWorkers>
{
    [Fact]
    public async Task The_package_unit_tests_pass()
    {
        var run = await TokenSourcePackage.RunAsync("test");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("# fail 0", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_package_gets_caches_and_renews_tokens_from_the_real_worker()
    {
        var bearer = workers.Bearer;
        var certificate = bearer.Provider.Certificate.WritePemFile();
        try
        {
            var run = await TokenSourcePackage.RunAsync("test:integration", new Dictionary<string, string>
            {
                ["TOKEN_SERVICE_URL"] = new Uri(bearer.BaseAddress, "api").ToString(),
                ["VAULT_DOWN_SERVICE_URL"] = new Uri(workers.VaultDown.BaseAddress, "api").ToString(),
                ["VIDEOSDK_API_KEY"] = bearer.ApiKey,
                ["VIDEOSDK_API_SECRET"] = bearer.ApiSecret,
                ["OIDC_TOKEN_URL"] = bearer.Provider.Authority + "/token",
                ["OIDC_RESOURCE"] = ProviderResources.Rs256,
                ["OIDC_CLIENTS"] = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["happy"] = Client(ProviderClients.Alice),
                    ["expiry"] = Client(ProviderClients.Bob),
                    ["refresh"] = Client(ProviderClients.Host),
                    ["throttled"] = Client(ProviderClients.Viewer),
                    ["expired"] = Client(ProviderClients.Expired),
                }),
                // Node trusts the provider's test certificate as any Node program would be told to.
                ["NODE_EXTRA_CA_CERTS"] = certificate,
            });

            Assert.True(run.ExitCode == 0, run + Environment.NewLine + "Worker log:" + Environment.NewLine + bearer.Host.Log.Tail());
            Assert.Contains("# pass 6", run.Output, StringComparison.Ordinal);
            Assert.Contains("# fail 0", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    private static object Client(ProviderClient client) => new { id = client.Id, secret = client.Secret };
}
