using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenFunction.Telemetry;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// The pair's expiry date in Key Vault (set by the hooks and the rotation script) is reported as days left, and
/// only reported: Key Vault still serves an expired secret, and the app keeps signing with it, so an expiry date
/// never takes tokens down. The alert 30 days before is infra/monitoring/observability.bicep's.
/// </summary>
[Collection(SharedManagedIdentity.Name)]
public sealed class KeyVaultExpiryTests(ManagedIdentityFixture identity)
{
    [Fact]
    public async Task The_days_to_the_pairs_first_expiry_are_reported_and_past_the_date_the_app_still_signs()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        using var expiry = new MetricCollector<double>(pipeline.Meters, TelemetryNames.MeterName, TelemetryNames.SigningCredentialsTimeToExpiry);
        var now = pipeline.Time.GetUtcNow();
        // The key expires first: the pair is only as current as its first half to expire.
        pipeline.Vault.SetSecret(SecretPipeline.KeyName, SecretValues.NewApiKey(), expiresOn: now.AddDays(40));
        pipeline.Vault.SetSecret(SecretPipeline.SecretName, SecretValues.NewApiSecret(), expiresOn: now.AddDays(45));

        Assert.True(await pipeline.Cache.RefreshAsync(), pipeline.LastReadFailure());
        expiry.RecordObservableInstruments();
        Assert.Equal(40, expiry.LastMeasurement!.Value, precision: 3);

        // A day past the date: the vault still serves the pair, the app reloads it, signs with it, and says so.
        pipeline.Time.Advance(TimeSpan.FromDays(41));
        Assert.True(await pipeline.Cache.RefreshAsync(), pipeline.LastReadFailure());
        var served = await pipeline.ServedCredentialsAsync();

        Assert.NotNull(served);
        Assert.True(pipeline.Provider.GetHealth().Ready);
        expiry.RecordObservableInstruments();
        Assert.Equal(-1, expiry.LastMeasurement!.Value, precision: 3);
        Assert.Equal("d", expiry.Instrument!.Unit);
    }

    [Fact]
    public async Task A_pair_without_an_expiry_date_reports_none()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        using var expiry = new MetricCollector<double>(pipeline.Meters, TelemetryNames.MeterName, TelemetryNames.SigningCredentialsTimeToExpiry);
        pipeline.SeedCredentials();

        Assert.True(await pipeline.Cache.RefreshAsync(), pipeline.LastReadFailure());
        expiry.RecordObservableInstruments();

        Assert.Null(expiry.LastMeasurement);
        Assert.NotNull(await pipeline.ServedCredentialsAsync());
    }

    /// <summary>The key as a plain setting: the secret's own expiry is the pair's.</summary>
    [Fact]
    public async Task With_the_key_in_configuration_the_secrets_expiry_is_reported()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity, new PipelineSettings { PlainApiKey = SecretValues.NewApiKey() });
        using var expiry = new MetricCollector<double>(pipeline.Meters, TelemetryNames.MeterName, TelemetryNames.SigningCredentialsTimeToExpiry);
        pipeline.Vault.SetSecret(SecretPipeline.SecretName, SecretValues.NewApiSecret(), expiresOn: pipeline.Time.GetUtcNow().AddDays(12));

        Assert.True(await pipeline.Cache.RefreshAsync(), pipeline.LastReadFailure());
        expiry.RecordObservableInstruments();

        Assert.Equal(12, expiry.LastMeasurement!.Value, precision: 3);
    }
}
