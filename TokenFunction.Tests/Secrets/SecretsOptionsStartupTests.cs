using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunction.Secrets;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tests.Secrets;

/// <summary>The host validates these options when it starts: that must finish, and still refuse what it should.</summary>
public sealed class SecretsOptionsStartupTests
{
    /// <summary>Only against a hang (a dependency cycle among the options); validation itself takes milliseconds.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("https://kv-test.vault.azure.net/", null)]
    [InlineData(null, "local-dev-secret-0123456789abcdef")]
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

    [Theory]
    [InlineData(31, "a", false)]
    [InlineData(32, "a", true)]
    [InlineData(11, "\u20ac", true)] // 11 characters, 33 UTF-8 bytes: the rule counts bytes, as the secret signs
    [InlineData(10, "\u20ac", false)]
    public async Task A_configuration_secret_shorter_than_32_UTF8_bytes_is_refused_at_start_up_naming_the_setting_not_the_value(
        int repeat, string unit, bool accepted)
    {
        var secret = string.Concat(Enumerable.Repeat(unit, repeat));
        using var services = Compose(new() { ["VideoSdk:ApiKey"] = "key", ["VideoSdk:ApiSecret"] = secret });

        var validation = Task.Run(() => services.GetRequiredService<IStartupValidator>().Validate()).WaitAsync(Patience);

        if (accepted)
        {
            await validation;
            return;
        }

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => validation);
        Assert.Contains("VideoSdk:ApiSecret is shorter than 32 bytes (UTF-8): HS256 needs a key of at least 256 bits. "
            + "Use the API secret from VideoSDK's dashboard (64 hex characters).", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refusal.Message, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("v7", "SigningCredentials(version: v7, key and secret redacted)")]
    [InlineData(null, "SigningCredentials(version: n/a, key and secret redacted)")]
    public void Credentials_formatted_by_accident_show_their_version_and_never_the_key_or_secret(string? version, string expected)
    {
        var credentials = new SigningCredentials("key-7f3a", "secret-0123456789abcdef0123456789abcdef", version);

        Assert.Equal(expected, credentials.ToString());
        Assert.Equal(expected, $"{credentials}");
    }
}
