using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunction.Functions;
using TokenFunction.Secrets;
using TokenFunction.Telemetry;

namespace TokenFunction.Tests;

/// <summary>Program.cs's own container, built as the worker builds it (never run: that needs the Functions host).</summary>
public class CompositionTests
{
    private static readonly string[] LocalDevelopment =
        ["--VideoSdk:ApiKey=local-key", "--VideoSdk:ApiSecret=local-secret-0123456789abcdef0123"];

    [Fact]
    public void The_functions_resolve_from_Program_container_in_local_development_mode()
    {
        using var host = Program.CreateHost(LocalDevelopment);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(ActivatorUtilities.CreateInstance<IssueTokenFunction>(host.Services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<HealthFunction>(host.Services));
        Assert.IsType<ConfigurationCredentialsProvider>(host.Services.GetRequiredService<ISigningCredentialsProvider>());
    }

    [Fact]
    public void A_configured_vault_selects_the_Key_Vault_cache_and_its_background_refresh()
    {
        using var host = Program.CreateHost([
            "--KeyVault:VaultUri=https://kv-example.vault.azure.net/", "--VideoSdk:ApiKey=key",
            // Only so the worker's own gRPC client can be constructed; nothing connects.
            "--Functions:Worker:HostEndpoint=http://127.0.0.1:9",
        ]);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<KeyVaultCredentialsCache>(host.Services.GetRequiredService<ISigningCredentialsProvider>());
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is KeyVaultRefreshService);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_worker_sends_its_information_lines_to_the_host_only_when_no_exporter_of_its_own_sends_them(bool exporting)
    {
        using var host = Program.CreateHost(exporting
            ? [.. LocalDevelopment, $"--{TelemetryServiceCollectionExtensions.OtlpEndpointSetting}=http://127.0.0.1:4317"]
            : LocalDevelopment);

        // The rule names the worker SDK's gRPC logger provider by its type name: it must be the one registered.
        Assert.Contains(host.Services.GetServices<ILoggerProvider>(),
            provider => provider.GetType().FullName == TelemetryServiceCollectionExtensions.FunctionsHostLoggerProvider);
        var toHost = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules
            .Where(rule => rule.ProviderName == TelemetryServiceCollectionExtensions.FunctionsHostLoggerProvider)
            .ToList();
        if (exporting)
        {
            Assert.Equal(LogLevel.Warning, Assert.Single(toHost).LogLevel);
        }
        else
        {
            Assert.Empty(toHost);
        }
    }

    [Theory]
    [InlineData(new[] { "--VideoSdk:ApiKey=k" }, "VideoSdk:ApiSecret is required")]
    [InlineData(new[] { "--VideoSdk:ApiSecret=s" }, "VideoSdk:ApiKey is required")]
    [InlineData(new[] { "--KeyVault:VaultUri=http://kv.example/", "--VideoSdk:ApiKey=k" }, "KeyVault:VaultUri must be an absolute https:// URI")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--VideoSdk:ApiSecret=s" }, "VideoSdk:ApiSecret must not be set when KeyVault:VaultUri is")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--KeyVault:ApiSecretName=bad_name" }, "KeyVault:ApiSecretName must be a Key Vault secret name")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--KeyVault:RefreshInterval=00:00:01" }, "KeyVault:RefreshInterval must be at least")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--KeyVault:MaxStaleness=00:01:00" }, "KeyVault:MaxStaleness must be at least KeyVault:RefreshInterval")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--KeyVault:ManagedIdentityClientId=not-a-guid" }, "KeyVault:ManagedIdentityClientId must be the client id")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--KeyVault:FetchTimeout=00:00:00" }, "KeyVault:FetchTimeout must be more than zero and at most 00:01:00.")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--KeyVault:FetchTimeout=00:01:00.0000001" }, "KeyVault:FetchTimeout must be more than zero and at most 00:01:00.")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--KeyVault:ApiKeySecretName=bad_name" }, "Set VideoSdk:ApiKey, or KeyVault:ApiKeySecretName to a Key Vault secret name.")]
    [InlineData(new[] { "--KeyVault:VaultUri=https://kv.example/", "--VideoSdk:ApiKey=", "--KeyVault:ApiKeySecretName=bad_name" }, "Set VideoSdk:ApiKey, or KeyVault:ApiKeySecretName to a Key Vault secret name.")]
    [InlineData(new[] { "--VideoSdk:ApiKey=k", "--VideoSdk:ApiSecret=s", "--WEBSITE_SITE_NAME=func-x", "--CallerAuth:AllowAnonymous=true" }, "KeyVault:VaultUri is empty but the app runs in Azure")]
    [InlineData(new[] { "--VideoSdk:ApiKey=k", "--VideoSdk:ApiSecret=s", "--WEBSITE_SKU=FlexConsumption", "--CallerAuth:AllowAnonymous=true" }, "store the VideoSDK secret in Key Vault")]
    [InlineData(new[] { "--Tokens:MaxTtlSeconds=30" }, "Tokens:MaxTtlSeconds must be from 60")]
    [InlineData(new[] { "--Tokens:MaxTtlSeconds=3600", "--Tokens:DefaultTtlSeconds=7200" }, "Tokens:DefaultTtlSeconds must be from 60 to Tokens:MaxTtlSeconds")]
    [InlineData(new[] { "--Tokens:AllowedPermissions:0=allow_everything" }, "Tokens:AllowedPermissions: Unknown permission 'allow_everything'")]
    [InlineData(new[] { "--Tokens:DefaultPermissions:0=allow_mod" }, "Tokens:DefaultPermissions grants allow_mod, which Tokens:AllowedPermissions does not allow")]
    [InlineData(new[] { "--Tokens:AllowedPermissions:0=ask_join", "--Tokens:DefaultPermissions:0=allow_join", "--Tokens:DefaultPermissions:1=allow_mod" }, "Tokens:DefaultPermissions grants allow_join, allow_mod, which Tokens:AllowedPermissions does not allow.")]
    [InlineData(new[] { "--Tokens:DefaultPermissions:0=ask_join", "--Tokens:DefaultPermissions:1=allow_join" }, "Tokens:DefaultPermissions: 'ask_join' cannot be combined")]
    public void A_misconfigured_app_fails_at_start_up_naming_the_setting(string[] settings, string expected)
    {
        var withDefaults = settings.Any(s => s.StartsWith("--VideoSdk:", StringComparison.Ordinal) || s.StartsWith("--KeyVault:", StringComparison.Ordinal))
            ? settings
            : [.. LocalDevelopment, .. settings];
        using var host = Program.CreateHost(withDefaults);

        var failure = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, failure.Message.Split(expected).Length); // reported once, not once per dependent validator
    }

    [Theory]
    [InlineData("--KeyVault:RefreshInterval=00:00:10", "--KeyVault:MaxStaleness=00:00:10")]
    [InlineData("--KeyVault:FetchTimeout=00:00:00.0000001")]
    [InlineData("--KeyVault:FetchTimeout=00:01:00")]
    [InlineData("--VideoSdk:ApiKey=key", "--KeyVault:ApiKeySecretName=bad_name")]
    public void Vault_settings_on_the_edge_of_the_allowed_start(params string[] settings)
    {
        using var host = Program.CreateHost(["--KeyVault:VaultUri=https://kv-example.vault.azure.net/", .. settings]);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Configured_permission_lists_replace_the_defaults_rather_than_extend_them()
    {
        using var host = Program.CreateHost([.. LocalDevelopment, "--Tokens:AllowedPermissions:0=allow_join"]);

        var options = host.Services.GetRequiredService<IOptions<TokenFunction.Tokens.TokenPolicyOptions>>().Value;

        Assert.Equal(["allow_join"], options.AllowedPermissions);
        Assert.Equal(["allow_join"], options.DefaultPermissions);
    }
}
