using System.Net;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>The vault holds the key and secret when the worker starts; production intervals.</summary>
public sealed class SeededVaultWorker : VaultModeWorker
{
    protected override void PrepareVault() => PutNewCredentials();
}

/// <summary>
/// The built app in Azure mode, through the host stand-in: the key and secret come from the Key Vault
/// stand-in through the managed-identity stand-in, and every request is served from memory.
/// </summary>
public sealed class VaultModeEndToEndTests(SeededVaultWorker worker) : IClassFixture<SeededVaultWorker>
{
    [Fact]
    public async Task Posted_token_verifies_with_the_vaults_secret_and_carries_the_vaults_key()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await worker.RequestTokenAsync();

        JoinTokenAssertions.AssertJoinToken(response, worker.Current.ApiKey, worker.Current.ApiSecret, VaultModeWorker.DefaultTtlSeconds, before);
    }

    [Fact]
    public async Task Health_is_healthy_from_the_vault_once_loaded_and_names_no_credential()
    {
        await worker.RequestTokenAsync();

        var health = await worker.HealthyAsync();

        Assert.DoesNotContain(worker.Current.ApiSecret, health.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Current.ApiKey, health.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Current.SecretVersion, health.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_anonymous_health_checks_reads_nothing_from_the_vault()
    {
        await worker.RequestTokenAsync();
        var readsBefore = worker.Azure.CredentialReadCount;

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => worker.HealthAsync()));

        Assert.All(answers, a => Assert.Equal("{\"status\":\"healthy\"}", a.Body));
        Assert.Equal(readsBefore, worker.Azure.CredentialReadCount);
    }

    [Fact]
    public async Task Many_requests_read_each_secret_from_the_vault_once_with_a_managed_identity_token()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => worker.RequestTokenAsync()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(1, worker.Vault.AuthorizedReadCount(AzureStandIns.ApiSecretName));
        Assert.Equal(1, worker.Vault.AuthorizedReadCount(AzureStandIns.ApiKeySecretName));
        Assert.Equal(0, worker.Vault.RejectedTokenCount);
        Assert.Contains(worker.Azure.Identity.Grants, grant => grant.Resource == worker.Vault.Resource && grant.RequestedClientId is null);
    }

    [Fact]
    public async Task Nothing_the_worker_logged_contains_a_credential_a_token_or_an_identity_secret()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tokens.Add((await worker.RequestTokenAsync()).Json.GetProperty("token").GetString()!);
        }

        worker.AssertNothingSecretWasLogged(tokens);
    }
}
