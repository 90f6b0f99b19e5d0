using System.Net;
using TokenFunction.Secrets;

namespace TokenFunction.Tests.Secrets;

/// <summary>Requests that arrive before the signing secret was ever loaded: they share one read, and never hang or throw.</summary>
[Collection(SharedManagedIdentity.Name)]
public sealed class KeyVaultColdStartTests(ManagedIdentityFixture identity)
{
    public enum ColdFailure
    {
        VaultSlowerThanFetchTimeout,
        SecretMissing,
        VaultAnswers503,
        IdentityEndpointFails,
    }

    /// <summary>
    /// The timeout case's bound, on the app's (fake) clock. The longest allowed: the SDK's own network timeout is the
    /// same figure on the real clock, and must not end the read first however slow the machine.
    /// </summary>
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static readonly TimeSpan FetchTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The timeout case's vault: it would answer only long after the test has ended.</summary>
    private static readonly TimeSpan VaultDelay = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Two_hundred_concurrent_cold_requests_share_one_vault_read_per_secret()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        var (_, secretVersion) = pipeline.SeedCredentials();
        // Keeps the one read in flight while every request arrives.
        pipeline.Vault.ResponseDelay = TimeSpan.FromMilliseconds(300);

        var lookups = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(_ => Task.Run(() => pipeline.Provider.GetAsync(CancellationToken.None).AsTask())));

        Assert.All(lookups, lookup => Assert.Equal(secretVersion, lookup.Credentials?.Version));
        Assert.Equal(1, pipeline.Vault.AuthorizedReadCount(SecretPipeline.SecretName));
        Assert.Equal(1, pipeline.Vault.AuthorizedReadCount(SecretPipeline.KeyName));
    }

    [Theory]
    [InlineData(ColdFailure.VaultSlowerThanFetchTimeout, "took longer than")]
    [InlineData(ColdFailure.SecretMissing, "Key Vault answered 404")]
    [InlineData(ColdFailure.VaultAnswers503, "Key Vault answered 503")]
    [InlineData(ColdFailure.IdentityEndpointFails, "could not get a Key Vault token")]
    public async Task Before_any_load_a_failed_read_answers_unavailable_with_retry_after_within_the_fetch_timeout(
        ColdFailure failure, string expectedReason)
    {
        var timesOut = failure == ColdFailure.VaultSlowerThanFetchTimeout;
        await using var pipeline = await SecretPipeline.StartAsync(identity, timesOut ? new PipelineSettings { FetchTimeout = FetchTimeout } : null);
        Arrange(failure, pipeline);

        CredentialsLookup lookup;
        try
        {
            var first = pipeline.Provider.GetAsync(CancellationToken.None).AsTask();
            if (timesOut)
            {
                // The read's bound is armed on the app's clock when the read starts; run it out, not a tick early.
                await pipeline.Time.NextTimerAsync(due => due == FetchTimeout, CancellationToken.None);
                pipeline.Time.Advance(FetchTimeout - Tick);
                Assert.False(first.IsCompleted);
                pipeline.Time.Advance(Tick);
            }

            lookup = await first;
        }
        finally
        {
            // The identity endpoint is shared by the collection.
            identity.Identity.FailureStatus = null;
        }

        Assert.Null(lookup.Credentials);
        Assert.NotNull(lookup.UnavailableReason);
        Assert.True(lookup.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {lookup.RetryAfter}.");
        Assert.Contains(expectedReason, pipeline.LastReadFailure(), StringComparison.Ordinal);

        // Until the refresh loop tries again, later requests answer at once instead of queueing on the vault.
        var later = pipeline.Provider.GetAsync(CancellationToken.None);
        Assert.True(later.IsCompleted);
        Assert.Null((await later).Credentials);
    }

    private void Arrange(ColdFailure failure, SecretPipeline pipeline)
    {
        switch (failure)
        {
            case ColdFailure.VaultSlowerThanFetchTimeout:
                pipeline.SeedCredentials();
                pipeline.Vault.ResponseDelay = VaultDelay;
                return;
            case ColdFailure.SecretMissing:
                pipeline.Vault.SetSecret(SecretPipeline.KeyName, SecretValues.NewApiKey());
                return;
            case ColdFailure.VaultAnswers503:
                pipeline.SeedCredentials();
                pipeline.Vault.Outage = VaultOutage.ServiceUnavailable;
                return;
            case ColdFailure.IdentityEndpointFails:
                pipeline.SeedCredentials();
                identity.Identity.FailureStatus = HttpStatusCode.BadRequest;
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(failure), failure, null);
        }
    }
}
