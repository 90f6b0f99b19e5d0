using System.Diagnostics.Metrics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using TokenFunction.Platform;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tests.Secrets;

/// <summary>What a test changes about the app's settings; everything else is the production default.</summary>
internal sealed record PipelineSettings
{
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>VideoSdk:ApiKey as a plain setting: then only the secret is read from the vault.</summary>
    public string? PlainApiKey { get; init; }

    /// <summary>
    /// The app's bound runs on the pipeline's fake clock, but the SDK's per-try network timeout is the same figure on
    /// the real clock: generous, since on a loaded 2-core machine the first read in a process (JIT, TLS, token) took
    /// over 3 s, which turned a test about a 403 into one about a timeout.
    /// </summary>
    /// <remarks>Not a length the refresh loop waits (1, 2, 4, 8, 16, 30 s, the interval): its timer is passed over.</remarks>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(45);

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The app's Key Vault secret pipeline as production composes it (AddTokenFunction), against a fresh
/// vault stand-in, with the real SecretClient and ManagedIdentityCredential. Only the SecretClient
/// registration is the test's: same credential, but a transport that trusts the stand-in's certificate
/// and retry delays of milliseconds instead of seconds.
/// </summary>
internal sealed class SecretPipeline : IAsyncDisposable
{
    // The production defaults, deliberately not configured: the tests show they are what is read.
    public const string SecretName = AzureStandIns.ApiSecretName;
    public const string KeyName = AzureStandIns.ApiKeySecretName;

    private readonly ServiceProvider _services;
    private readonly SocketsHttpHandler _trustingHandler;
    private IHostedService[] _started = [];

    private SecretPipeline(KeyVaultStandIn vault, ServiceProvider services, SocketsHttpHandler trustingHandler, ScheduleClock time)
    {
        Vault = vault;
        _services = services;
        _trustingHandler = trustingHandler;
        Time = time;
    }

    public KeyVaultStandIn Vault { get; }

    /// <summary>Drives the cache's staleness, the refresh schedule and the fetch timeout; the SDK's own retries and network timeout run on real time.</summary>
    public ScheduleClock Time { get; }

    public KeyVaultCredentialsCache Cache => _services.GetRequiredService<KeyVaultCredentialsCache>();

    /// <summary>What the token function asks for credentials on every request.</summary>
    public ISigningCredentialsProvider Provider => _services.GetRequiredService<ISigningCredentialsProvider>();

    public KeyVaultOptions Options => _services.GetRequiredService<IOptions<KeyVaultOptions>>().Value;

    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    /// <summary>The cause the last failed read logged (event 1003), as an operator reads it; null if none failed.</summary>
    public string? LastReadFailure() =>
        Logs.GetSnapshot().LastOrDefault(record => record.Id.Id == 1003)?.GetStructuredStateValue("Failure");

    /// <summary>This pipeline's meters only: a collector on it sees none of another test's measurements.</summary>
    public IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    /// <summary>Starts a vault stand-in (the caller seeds secrets before the first read) and composes the app's pipeline around it.</summary>
    public static async Task<SecretPipeline> StartAsync(ManagedIdentityFixture identity, PipelineSettings? settings = null)
    {
        settings ??= new PipelineSettings();
        var vault = await KeyVaultStandIn.StartAsync(identity.Certificate, identity.Identity);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Configuration(vault, settings)).Build();
        var time = new ScheduleClock { PassOver = [settings.FetchTimeout] };
        var trustingHandler = identity.Certificate.CreateTrustingHandler(identity.Proxy);

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(time)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging())
            // Registered before AddTokenFunction, whose TryAddSingleton then keeps this one.
            .AddSingleton(provider => CreateSecretClient(provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value, trustingHandler))
            .AddTokenFunction(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // The production start-up checks: a test must not run a configuration the app would refuse.
        services.GetRequiredService<IStartupValidator>().Validate();
        return new SecretPipeline(vault, services, trustingHandler, time);
    }

    /// <summary>Puts a fresh key and secret in the vault under the default names; returns their versions.</summary>
    public (string KeyVersion, string SecretVersion) SeedCredentials() =>
        (Vault.SetSecret(KeyName, SecretValues.NewApiKey()), Vault.SetSecret(SecretName, SecretValues.NewApiSecret()));

    /// <summary>What a request would sign with right now (joining the first load if none happened yet).</summary>
    public async Task<SigningCredentials?> ServedCredentialsAsync() => (await Provider.GetAsync(CancellationToken.None)).Credentials;

    /// <summary>Starts the app's hosted services: the start-up report and the background refresh loop (first read at once).</summary>
    public async Task StartHostedServicesAsync()
    {
        _started = [.. _services.GetServices<IHostedService>()];
        foreach (var service in _started)
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits for the refresh loop to arm its next wait (it does so only after a read completes), then moves the
    /// clock by exactly that wait, so the loop reads again. Returns the wait the loop chose.
    /// </summary>
    public async Task<TimeSpan> RunToNextRefreshAsync()
    {
        var delay = await Time.NextTimerAsync();
        Time.Advance(delay);
        return delay;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        _trustingHandler.Dispose();
        await Vault.DisposeAsync();
    }

    /// <summary>Production's credential and client options, with a transport that trusts the stand-in and test-sized retry delays.</summary>
    private static SecretClient CreateSecretClient(KeyVaultOptions options, SocketsHttpHandler trustingHandler)
    {
        var clientOptions = new SecretClientOptions();
        KeyVaultClientFactory.ConfigureRetries(clientOptions, options);
        clientOptions.Transport = new HttpClientTransport(trustingHandler);
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(10);
        clientOptions.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        // As in Azure: the process environment, where the managed-identity collection set IDENTITY_ENDPOINT.
        var platform = new HostingPlatform(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        return new SecretClient(options.VaultUri, KeyVaultClientFactory.CreateCredential(options, platform), clientOptions);
    }

    private static Dictionary<string, string?> Configuration(KeyVaultStandIn vault, PipelineSettings settings) => new()
    {
        ["KeyVault:VaultUri"] = vault.VaultUri.ToString(),
        ["KeyVault:ManagedIdentityClientId"] = settings.ManagedIdentityClientId,
        ["KeyVault:FetchTimeout"] = settings.FetchTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["KeyVault:RefreshInterval"] = settings.RefreshInterval.ToString("c", CultureInfo.InvariantCulture),
        ["KeyVault:MaxStaleness"] = settings.MaxStaleness.ToString("c", CultureInfo.InvariantCulture),
        ["VideoSdk:ApiKey"] = settings.PlainApiKey,
    };
}
