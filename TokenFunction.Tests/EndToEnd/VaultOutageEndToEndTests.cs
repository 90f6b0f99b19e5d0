using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// Refresh every 10 s (the app's minimum), last good secret usable for 15 s: short enough to go stale in
/// real time, long enough to leave a window of about 5 s in which a refresh has met the outage but the
/// cached secret is still fresh enough to sign with. (MaxStaleness equal to the interval would leave none.)
/// </summary>
public sealed class ShortStalenessVaultWorker : VaultModeWorker
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Staleness = TimeSpan.FromSeconds(15);

    protected override TimeSpan? RefreshInterval => Refresh;

    protected override TimeSpan? MaxStaleness => Staleness;

    protected override void PrepareVault() => PutNewCredentials();
}

public sealed class VaultOutageEndToEndTests(ShortStalenessVaultWorker worker) : IClassFixture<ShortStalenessVaultWorker>
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task During_a_vault_outage_tokens_are_served_until_the_secret_is_too_stale_then_503_with_Retry_After_then_recovery()
    {
        var credentials = worker.Current;
        Assert.Equal(HttpStatusCode.OK, (await worker.RequestTokenAsync()).Status);

        worker.Vault.Outage = VaultOutage.ServiceUnavailable;
        await WaitUntilAsync(() => worker.Vault.OutageAnswerCount > 0, ShortStalenessVaultWorker.Refresh + Slack);
        var duringOutage = await worker.RequestTokenAsync();
        Assert.True(IndependentTokenVerifier.Verifies(duringOutage.Json.GetProperty("token").GetString()!, credentials.ApiSecret), duringOutage.Body);

        var stale = await worker.PollAsync(worker.RequestTokenAsync, r => r.Status != HttpStatusCode.OK, ShortStalenessVaultWorker.Staleness);
        worker.AssertCredentialsUnavailable(stale);
        worker.AssertUnhealthy(await worker.HealthAsync(), "credentials_stale");
        await worker.AssertLoggedAsync("Key Vault answered 503", TimeSpan.Zero);

        worker.Vault.Outage = VaultOutage.None;
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var recovered = await worker.PollAsync(worker.RequestTokenAsync, r => r.Status == HttpStatusCode.OK, ShortStalenessVaultWorker.Refresh + Slack);

        JoinTokenAssertions.AssertJoinToken(recovered, credentials.ApiKey, credentials.ApiSecret, VaultModeWorker.DefaultTtlSeconds, before);
        await worker.HealthyAsync();
        worker.AssertNothingSecretWasLogged(new[] { duringOutage, recovered }.Select(r => r.Json.GetProperty("token").GetString()!));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
