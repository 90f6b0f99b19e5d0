using System.Net;
using KeyVaultFailure = TokenFunction.Secrets.KeyVaultFailure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>The worker starts before anything is in the vault, as on a first deployment.</summary>
public sealed class EmptyVaultWorker : VaultModeWorker
{
    // Failed loads are retried after 1, 2, 4, 8 s... capped at the refresh interval: the shortest keeps each wait below.
    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(10);

    protected override void PrepareVault()
    {
    }
}

/// <summary>
/// A cold start that cannot load: first the secret does not exist, then the app's role assignment has not
/// propagated (403 ForbiddenByRbac). The worker answers 503 with Retry-After meanwhile, and serves as
/// soon as the vault lets it read, without a restart.
/// </summary>
public sealed class VaultRefusalEndToEndTests(EmptyVaultWorker worker) : IClassFixture<EmptyVaultWorker>
{
    // At most one refresh interval until the next read, with slack for a loaded machine.
    private static readonly TimeSpan NextRetry = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Missing_secret_then_RBAC_refusal_then_a_weak_secret_answer_503_with_Retry_After_then_tokens_are_served_once_the_vault_relents()
    {
        await worker.AssertLoggedAsync("the secret does not exist", NextRetry);
        worker.AssertUnhealthy(await worker.HealthAsync(), "credentials_unavailable");
        worker.AssertCredentialsUnavailable(await worker.RequestTokenAsync());

        worker.Vault.ForbidNextReads(int.MaxValue);
        worker.PutNewCredentials();
        await worker.AssertLoggedAsync(KeyVaultFailure.ForbiddenByRbac, NextRetry);
        worker.AssertUnhealthy(await worker.HealthAsync(), "credentials_unavailable");
        worker.AssertCredentialsUnavailable(await worker.RequestTokenAsync());

        worker.PutNewCredentials(apiSecret: "weak-" + Guid.NewGuid().ToString("N")[..26]);
        worker.Vault.ForbidNextReads(0);
        await worker.AssertLoggedAsync($"Key Vault secret '{AzureStandIns.ApiSecretName}' is shorter than 32 bytes", NextRetry);
        worker.AssertUnhealthy(await worker.HealthAsync(), "credentials_unavailable");
        worker.AssertCredentialsUnavailable(await worker.RequestTokenAsync());

        var credentials = worker.PutNewCredentials();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var served = await worker.PollAsync(worker.RequestTokenAsync, r => r.Status == HttpStatusCode.OK, NextRetry);

        JoinTokenAssertions.AssertJoinToken(served, credentials.ApiKey, credentials.ApiSecret, VaultModeWorker.DefaultTtlSeconds, before);
        await worker.HealthyAsync();
        worker.AssertNothingSecretWasLogged([served.Json.GetProperty("token").GetString()!]);
    }
}
