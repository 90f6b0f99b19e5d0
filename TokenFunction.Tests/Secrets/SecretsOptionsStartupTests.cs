using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunction.Secrets;

namespace TokenFunction.Tests.Secrets;

/// <summary>The host validates these options when it starts: that must finish, and still refuse what it should.</summary>
public sealed class SecretsOptionsStartupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("https://kv-test.vault.azure.net/", null)]
    [InlineData(null, "local-dev-secret")]
    public async Task Start_up_validation_completes_in_vault_and_in_development_mode(string? vaultUri, string? devSecret)
    {
        using var services = Compose(new()
        {
            ["KeyVault:VaultUri"] = vaultUri,
            ["VideoSdk:ApiKey"] = "key",
            ["VideoSdk:ApiSecret"] = devSecret,
        });

        // On a worker thread with a deadline: a dependency cycle among the options hangs instead of failing.
        await Task.Run(() => services.GetRequiredService<IStartupValidator>().Validate()).WaitAsync(Patience);

        Assert.Equal(vaultUri, services.GetRequiredService<IOptions<KeyVaultOptions>>().Value.VaultUri?.ToString());
    }

    [Fact]
    public async Task A_development_secret_next_to_a_vault_is_refused_at_start_up_naming_the_setting()
    {
        using var services = Compose(new()
        {
            ["KeyVault:VaultUri"] = "https://kv-test.vault.azure.net/",
            ["VideoSdk:ApiSecret"] = "left-over-dev-secret",
        });

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(
            () => Task.Run(() => services.GetRequiredService<IStartupValidator>().Validate()).WaitAsync(Patience));

        Assert.Contains("VideoSdk:ApiSecret must not be set", refusal.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddTokenFunction(configuration)
            .BuildServiceProvider();
    }
}
