using System.Net;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The vault answers its first reads slowly (8 s), so the worker is up and serving while its first load
/// is still under way, as on a cold start in Azure.
/// </summary>
public sealed class SlowVaultWorker : VaultModeWorker
{
    public static readonly TimeSpan FirstReadDelay = TimeSpan.FromSeconds(8);

    // Above the slow read, so the first load succeeds rather than timing out.
    protected override TimeSpan? FetchTimeout => TimeSpan.FromSeconds(20);

    protected override void PrepareVault()
    {
        PutNewCredentials();
        Vault.ResponseDelay = FirstReadDelay;
    }
}

public sealed class VaultColdStartEndToEndTests(SlowVaultWorker worker) : IClassFixture<SlowVaultWorker>
{
    [Fact]
    public async Task Before_the_first_load_health_is_503_then_concurrent_first_requests_share_one_read_per_secret()
    {
        var health = await worker.HealthAsync();
        worker.AssertUnhealthy(health, "credentials_unavailable");

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => worker.RequestTokenAsync()));

        Assert.All(responses, r => JoinTokenAssertions.AssertJoinToken(r, worker.Current.ApiKey, worker.Current.ApiSecret, VaultModeWorker.DefaultTtlSeconds, before));
        Assert.Equal(1, worker.Vault.AuthorizedReadCount(AzureStandIns.ApiSecretName));
        Assert.Equal(1, worker.Vault.AuthorizedReadCount(AzureStandIns.ApiKeySecretName));
        await worker.HealthyAsync();
        worker.AssertNothingSecretWasLogged(responses.Select(r => r.Json.GetProperty("token").GetString()!));
    }
}
