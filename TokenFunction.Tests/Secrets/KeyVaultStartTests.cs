using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TokenFunction.Functions;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Secrets;

/// <summary>When the worker starts in vault mode, the first read of the vault begins before the worker connects to the host.</summary>
public sealed class KeyVaultStartTests
{
    [Fact]
    public async Task The_first_read_starts_before_any_hosted_service_starts_and_the_refresh_loop_waits_for_it_instead_of_reading_again()
    {
        var vault = new ScriptedVault();
        vault.Hold();
        using var app = new TestApp(
            new Dictionary<string, string?>
            {
                ["KeyVault:VaultUri"] = "https://kv-start.vault.azure.net/",
                // The key stays a setting, so a load is exactly one read.
                ["VideoSdk:ApiSecret"] = "",
            },
            services => services.AddSingleton(vault.Client).AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow)));
        var refresh = app.Get<IEnumerable<IHostedService>>().OfType<KeyVaultRefreshService>().Single();

        await refresh.StartingAsync(CancellationToken.None);
        await vault.NextReadAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await refresh.StartAsync(CancellationToken.None);
        vault.Release();

        var request = FakeHttpRequestData.Create("GET");
        var response = ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));
        await refresh.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(1, vault.Reads);
    }
}
