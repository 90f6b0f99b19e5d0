using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunction.Functions;
using TokenFunction.Telemetry;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Functions;

/// <summary>
/// The start-up warm-up: the first caller after an idle period finds the identity provider's metadata already
/// read, and the warm-up's own token reaches nobody: no audit line, no count, no warning.
/// </summary>
public sealed class RequestPathWarmUpTests : IAsyncLifetime
{
    private OpenIdProviderStandIn _provider = null!;

    public async Task InitializeAsync() => _provider = await OpenIdProviderStandIn.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task In_bearer_mode_the_metadata_and_keys_are_read_at_start_so_the_first_caller_waits_for_neither()
    {
        using var app = new CallerTestApp(_provider);
        Assert.Equal(0, _provider.DiscoveryFetches);

        await WarmUpAsync(app.App);

        Assert.Equal(1, _provider.DiscoveryFetches);
        Assert.Equal(1, _provider.KeySetFetches);
        var first = await app.PostAsync(_provider.IssueToken());
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(1, _provider.DiscoveryFetches);
        Assert.Equal(1, _provider.KeySetFetches);
    }

    [Fact]
    public async Task A_provider_unreachable_during_the_warm_up_does_not_refuse_the_first_caller_who_reads_it_again()
    {
        using var app = new CallerTestApp(_provider);
        _provider.Available = false;

        await WarmUpAsync(app.App);
        var fetchesDuringWarmUp = _provider.DiscoveryFetches;
        _provider.Available = true;
        var first = await app.PostAsync(_provider.IssueToken());

        // The caller whose request started the instance is not held to the 10 s window a failed read of its own opens.
        Assert.InRange(fetchesDuringWarmUp, 1, 2);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(_provider.DiscoveryFetches > fetchesDuringWarmUp);
        Assert.DoesNotContain(app.App.Logs, log => log.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_warm_up_token_is_neither_logged_nor_counted_and_nothing_is_written_at_warning_or_above(bool bearer)
    {
        using var app = bearer ? new CallerTestApp(_provider).App : new TestApp();
        using var issued = new MetricCollector<long>(app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.TokensIssued);

        await WarmUpAsync(app);

        Assert.DoesNotContain(app.Logs, log => log.Id.Id == 2001);
        Assert.DoesNotContain(app.Logs, log => log.Level >= LogLevel.Warning);
        Assert.Empty(issued.GetMeasurementSnapshot());
    }

    /// <summary>Starts the warm-up as the host does and waits for it to finish.</summary>
    private static async Task WarmUpAsync(TestApp app)
    {
        var warmUp = app.Get<IEnumerable<IHostedService>>().OfType<RequestPathWarmUp>().Single();
        await warmUp.StartingAsync(CancellationToken.None);
        await warmUp.Completion!.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
