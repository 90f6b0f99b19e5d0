using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Secrets;

/// <summary>When the worker starts in vault mode, the first read of the vault begins before the worker connects to the host.</summary>
public sealed class KeyVaultStartTests
{
    [Fact]
    public async Task The_first_read_starts_before_any_hosted_service_starts_and_the_refresh_loop_does_not_read_again()
    {
        var vault = new ScriptedVault();
        // The read's own timeout is armed on the clock too; the loop's wait is the timer this test follows.
        var clock = new ScheduleClock { PassOver = [new KeyVaultOptions().FetchTimeout] };
        vault.Hold();
        using var app = new TestApp(
            new Dictionary<string, string?>
            {
                ["KeyVault:VaultUri"] = "https://kv-start.vault.azure.net/",
                // The key stays a setting, so a load is exactly one read.
                ["VideoSdk:ApiSecret"] = "",
            },
            services => services.AddSingleton(vault.Client).AddSingleton<TimeProvider>(clock));
        var refresh = app.Get<IEnumerable<IHostedService>>().OfType<KeyVaultRefreshService>().Single();

        // The Starting phase runs before any hosted service's StartAsync: the read is under way from there.
        await refresh.StartingAsync(CancellationToken.None);
        await vault.NextReadAsync();
        vault.Release();
        var loaded = await app.Get<ISigningCredentialsProvider>().GetAsync(CancellationToken.None);
        Assert.NotNull(loaded.Credentials);

        // The loop starts after that read has finished, and goes straight to waiting for the next refresh.
        await refresh.StartAsync(CancellationToken.None);
        Assert.Equal(new KeyVaultOptions().RefreshInterval, await clock.NextTimerAsync());
        await refresh.StopAsync(CancellationToken.None);

        Assert.Equal(1, vault.Reads);
    }
}
