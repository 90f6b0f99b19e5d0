using System.Text;
using Microsoft.Extensions.Logging;
using TokenFunction.Secrets;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// The secret pipeline as deployed: the real SecretClient and ManagedIdentityCredential, composed by
/// AddTokenFunction, reading a vault stand-in with a token from the managed-identity stand-in.
/// </summary>
[Collection(SharedManagedIdentity.Name)]
public sealed class KeyVaultPipelineTests(ManagedIdentityFixture identity)
{
    [Fact]
    public async Task First_load_serves_the_vaults_key_and_secret_read_with_a_system_assigned_token_for_the_vault()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        var (apiKey, apiSecret) = (SecretValues.NewApiKey(), SecretValues.NewApiSecret());
        pipeline.Vault.SetSecret(SecretPipeline.KeyName, apiKey);
        var secretVersion = pipeline.Vault.SetSecret(SecretPipeline.SecretName, apiSecret);

        var served = await pipeline.ServedCredentialsAsync();

        Assert.NotNull(served);
        Assert.Equal(apiKey, served.ApiKey);
        Assert.Equal(Encoding.UTF8.GetBytes(apiSecret), served.SecretBytes);
        Assert.Equal(secretVersion, served.Version);
        Assert.Equal([SecretPipeline.KeyName, SecretPipeline.SecretName], pipeline.Vault.SecretNamesRead.Order());
        Assert.Equal(1, pipeline.Vault.AuthorizedReadCount(SecretPipeline.KeyName));
        Assert.Equal(1, pipeline.Vault.AuthorizedReadCount(SecretPipeline.SecretName));
        Assert.True(pipeline.Vault.ChallengeCount >= 1, "The SDK should have met the vault's 401 challenge first.");
        Assert.Equal(0, pipeline.Vault.RejectedTokenCount);
        var grants = GrantsFor(pipeline.Vault);
        Assert.NotEmpty(grants);
        Assert.All(grants, grant => Assert.Null(grant.RequestedClientId));
        Assert.True(pipeline.Cache.GetHealth().Ready);
    }

    /// <summary>
    /// Half a rotation (the new key written, its secret not yet): the secret's apiKeyVersion tag names the key
    /// it was written with, and that key is served, never the newer one with the older secret.
    /// </summary>
    [Fact]
    public async Task A_secret_is_served_with_the_key_version_its_tag_names_not_a_newer_key()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        var (pairedKey, apiSecret) = (SecretValues.NewApiKey(), SecretValues.NewApiSecret());
        var pairedVersion = pipeline.Vault.SetSecret(SecretPipeline.KeyName, pairedKey);
        pipeline.Vault.SetSecret(SecretPipeline.SecretName, apiSecret, new Dictionary<string, string> { [KeyVaultOptions.ApiKeyVersionTag] = pairedVersion });
        pipeline.Vault.SetSecret(SecretPipeline.KeyName, SecretValues.NewApiKey());

        var served = await pipeline.ServedCredentialsAsync();

        Assert.NotNull(served);
        Assert.Equal(pairedKey, served.ApiKey);
        Assert.Equal(Encoding.UTF8.GetBytes(apiSecret), served.SecretBytes);
    }

    [Fact]
    public async Task A_user_assigned_identity_asks_the_identity_endpoint_for_its_own_client_id()
    {
        var clientId = Guid.NewGuid().ToString();
        await using var pipeline = await SecretPipeline.StartAsync(identity, new PipelineSettings { ManagedIdentityClientId = clientId });
        pipeline.SeedCredentials();

        var served = await pipeline.ServedCredentialsAsync();

        Assert.NotNull(served);
        var grants = GrantsFor(pipeline.Vault);
        Assert.NotEmpty(grants);
        Assert.All(grants, grant => Assert.Equal(clientId, grant.RequestedClientId));
        Assert.Equal(0, pipeline.Vault.RejectedTokenCount);
    }

    [Fact]
    public async Task A_rotation_in_the_vault_is_served_after_the_background_refresh_without_a_restart()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        pipeline.SeedCredentials();
        await pipeline.StartHostedServicesAsync();
        var before = await pipeline.ServedCredentialsAsync();

        var (rotatedKey, rotatedSecret) = (SecretValues.NewApiKey(), SecretValues.NewApiSecret());
        pipeline.Vault.SetSecret(SecretPipeline.KeyName, rotatedKey);
        var rotatedVersion = pipeline.Vault.SetSecret(SecretPipeline.SecretName, rotatedSecret);
        Assert.NotEqual(rotatedVersion, before?.Version);
        Assert.Equal(pipeline.Options.RefreshInterval, await pipeline.RunToNextRefreshAsync());
        // The loop arms its next wait once the read that follows is done.
        Assert.Equal(pipeline.Options.RefreshInterval, await pipeline.Time.NextTimerAsync());

        var after = await pipeline.ServedCredentialsAsync();
        Assert.Equal(rotatedKey, after!.ApiKey);
        Assert.Equal(Encoding.UTF8.GetBytes(rotatedSecret), after.SecretBytes);
        Assert.Contains(pipeline.Logs.GetSnapshot(), log =>
            log.Level == LogLevel.Information && log.Message.Contains($"to {rotatedVersion}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(VaultOutage.ServiceUnavailable, "Key Vault answered 503")]
    [InlineData(VaultOutage.ConnectionReset, "could not be reached")]
    public async Task During_an_outage_the_last_good_secret_is_served_up_to_the_maximum_staleness_then_503_until_the_vault_is_back(
        VaultOutage outage, string expectedReason)
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        var (_, secretVersion) = pipeline.SeedCredentials();
        Assert.True(await pipeline.Cache.RefreshAsync());

        pipeline.Vault.Outage = outage;
        pipeline.Time.Advance(pipeline.Options.RefreshInterval);
        Assert.False(await pipeline.Cache.RefreshAsync());
        Assert.True(pipeline.Vault.OutageAnswerCount > 1, "The SDK should have retried the failed read.");
        Assert.Equal(secretVersion, (await pipeline.ServedCredentialsAsync())?.Version);

        pipeline.Time.Advance(pipeline.Options.MaxStaleness);
        var lookup = await pipeline.Provider.GetAsync(CancellationToken.None);
        Assert.Null(lookup.Credentials);
        Assert.NotNull(lookup.UnavailableReason);
        Assert.InRange(lookup.RetryAfter, TimeSpan.FromSeconds(1), pipeline.Options.RefreshInterval);
        Assert.False(pipeline.Cache.GetHealth().Ready);
        Assert.Contains(expectedReason, pipeline.LastReadFailure(), StringComparison.Ordinal);

        pipeline.Vault.Outage = VaultOutage.None;
        Assert.True(await pipeline.Cache.RefreshAsync());
        Assert.Equal(secretVersion, (await pipeline.ServedCredentialsAsync())?.Version);
    }

    [Fact]
    public async Task A_403_ForbiddenByRbac_while_the_role_assignment_propagates_is_logged_clearly_retried_with_back_off_then_served()
    {
        var plainKey = SecretValues.NewApiKey();
        await using var pipeline = await SecretPipeline.StartAsync(identity, new PipelineSettings { PlainApiKey = plainKey });
        pipeline.Vault.SetSecret(SecretPipeline.SecretName, SecretValues.NewApiSecret());
        pipeline.Vault.ForbidNextReads(2);

        await pipeline.StartHostedServicesAsync();
        var refused = await pipeline.Provider.GetAsync(CancellationToken.None);
        Assert.Null(refused.Credentials);
        Assert.Equal(TimeSpan.FromSeconds(1), await pipeline.RunToNextRefreshAsync());
        Assert.Contains(pipeline.Logs.GetSnapshot(), log =>
            log.Level == LogLevel.Warning && log.Message.Contains(KeyVaultFailure.ForbiddenByRbac, StringComparison.Ordinal));

        Assert.Equal(TimeSpan.FromSeconds(2), await pipeline.RunToNextRefreshAsync());
        Assert.Equal(pipeline.Options.RefreshInterval, await pipeline.Time.NextTimerAsync());

        Assert.Equal(plainKey, (await pipeline.ServedCredentialsAsync())!.ApiKey);
        Assert.Equal(3, pipeline.Vault.AuthorizedReadCount(SecretPipeline.SecretName));
        Assert.Equal(0, pipeline.Vault.AuthorizedReadCount(SecretPipeline.KeyName));
        Assert.Equal(pipeline.Options.RefreshInterval, pipeline.Cache.NextRefreshDelay);
    }

    [Fact]
    public async Task A_vault_secret_shorter_than_32_bytes_fails_the_load_naming_the_secret_and_is_served_once_replaced()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        var weak = "weak-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(13));
        pipeline.Vault.SetSecret(SecretPipeline.KeyName, SecretValues.NewApiKey());
        pipeline.Vault.SetSecret(SecretPipeline.SecretName, weak);

        var refused = await pipeline.Provider.GetAsync(CancellationToken.None);

        Assert.Null(refused.Credentials);
        Assert.False(pipeline.Cache.GetHealth().Ready);
        var warning = Assert.Single(pipeline.Logs.GetSnapshot(), log => log.Level == LogLevel.Warning);
        Assert.Contains($"Key Vault secret '{SecretPipeline.SecretName}' is shorter than 32 bytes", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(weak, string.Join("\n", pipeline.Logs.GetSnapshot().Select(l => l.Message + l.Exception)), StringComparison.Ordinal);

        var strongVersion = pipeline.Vault.SetSecret(SecretPipeline.SecretName, SecretValues.NewApiSecret());
        Assert.True(await pipeline.Cache.RefreshAsync());
        Assert.Equal(strongVersion, (await pipeline.ServedCredentialsAsync())?.Version);
    }

    private List<ManagedIdentityGrant> GrantsFor(KeyVaultStandIn vault) =>
        [.. identity.Identity.Grants.Where(grant => grant.Resource == vault.Resource)];

    [Fact]
    public async Task A_blank_API_key_setting_is_no_key_the_key_is_read_from_the_vault_with_the_secret()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity, new PipelineSettings { PlainApiKey = " " });
        var apiKey = SecretValues.NewApiKey();
        pipeline.Vault.SetSecret(SecretPipeline.KeyName, apiKey);
        pipeline.Vault.SetSecret(SecretPipeline.SecretName, SecretValues.NewApiSecret());

        Assert.Equal(apiKey, (await pipeline.ServedCredentialsAsync())?.ApiKey);
    }
}
