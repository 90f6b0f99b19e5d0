using System.Globalization;
using TokenFunction.StandIns.FunctionsHost;

namespace TokenFunction.StandIns;

/// <summary>The API key and secret put in the vault under the app's default secret names, and the secret's version.</summary>
public sealed record VaultCredentials(string ApiKey, string ApiSecret, string SecretVersion);

/// <summary>
/// What a worker in Azure mode talks to, all on loopback: the managed-identity endpoint, the HTTPS Key
/// Vault, and the CONNECT proxy through which vault.localhost resolves (see <see cref="KeyVaultStandIn"/>).
/// <see cref="PointWorkerAt"/> gives a child worker exactly the environment the platform would, plus the
/// trust and proxy settings any .NET process honours: nothing in the app knows it is under test.
/// </summary>
public sealed class AzureStandIns : IAsyncDisposable
{
    // The app's defaults (KeyVaultOptions), deliberately not configured, so the worker reads what production reads.
    public const string ApiKeySecretName = "videosdk-api-key";
    public const string ApiSecretName = "videosdk-api-secret";

    /// <summary>The tag on the secret naming the key version it pairs with, as scripts/rotate-videosdk-secret.sh writes it (and the app reads).</summary>
    public const string ApiKeyVersionTag = "apiKeyVersion";

    private readonly List<string> _trustFiles = [];

    private AzureStandIns(TestCertificate certificate, LoopbackConnectProxy proxy, ManagedIdentityStandIn identity, KeyVaultStandIn vault)
    {
        Certificate = certificate;
        Proxy = proxy;
        Identity = identity;
        Vault = vault;
    }

    public TestCertificate Certificate { get; }

    public LoopbackConnectProxy Proxy { get; }

    public ManagedIdentityStandIn Identity { get; }

    public KeyVaultStandIn Vault { get; }

    public static async Task<AzureStandIns> StartAsync()
    {
        var certificate = TestCertificate.CreateForLoopback();
        var proxy = LoopbackConnectProxy.Start();
        var identity = await ManagedIdentityStandIn.StartAsync();
        var vault = await KeyVaultStandIn.StartAsync(certificate, identity);
        return new AzureStandIns(certificate, proxy, identity, vault);
    }

    /// <summary>
    /// Stores a new version of the key and the secret as scripts/rotate-videosdk-secret.sh does: the key first,
    /// then the secret tagged with the key's version. <paramref name="betweenWrites"/> runs between the two
    /// writes (a slow operator, a network hiccup), so a test can hold the vault in that in-between state.
    /// </summary>
    public async Task<VaultCredentials> PutCredentialsAsync(string apiKey, string apiSecret, Func<Task> betweenWrites)
    {
        var keyVersion = Vault.SetSecret(ApiKeySecretName, apiKey);
        await betweenWrites();
        return PutSecretPairedWith(keyVersion, apiKey, apiSecret);
    }

    /// <summary><see cref="PutCredentialsAsync"/> with nothing in between.</summary>
    public VaultCredentials PutCredentials(string apiKey, string apiSecret) =>
        PutSecretPairedWith(Vault.SetSecret(ApiKeySecretName, apiKey), apiKey, apiSecret);

    private VaultCredentials PutSecretPairedWith(string keyVersion, string apiKey, string apiSecret)
    {
        var tags = new Dictionary<string, string> { [ApiKeyVersionTag] = keyVersion };
        return new VaultCredentials(apiKey, apiSecret, Vault.SetSecret(ApiSecretName, apiSecret, tags));
    }

    /// <summary>The layout before pairs were tagged: two secrets set independently, as `az keyvault secret set` by hand does.</summary>
    public VaultCredentials PutUntaggedCredentials(string apiKey, string apiSecret)
    {
        Vault.SetSecret(ApiKeySecretName, apiKey);
        return new VaultCredentials(apiKey, apiSecret, Vault.SetSecret(ApiSecretName, apiSecret));
    }

    /// <summary>Authorized GETs of the key and the secret together.</summary>
    public int CredentialReadCount => Vault.AuthorizedReadCount(ApiKeySecretName) + Vault.AuthorizedReadCount(ApiSecretName);

    /// <summary>The vault, identity, trust and proxy settings of a worker in Azure mode; intervals as given (null: the app's default).</summary>
    public FunctionsHostOptions PointWorkerAt(FunctionsHostOptions options, TimeSpan? refreshInterval = null, TimeSpan? maxStaleness = null,
        TimeSpan? fetchTimeout = null)
    {
        options.TrustCertificate(Certificate.Certificate);
        _trustFiles.Add(options.AppSettings["SSL_CERT_FILE"]);
        options
            .WithSetting("KeyVault__VaultUri", Vault.VaultUri.ToString())
            // Only https goes through the proxy: the identity endpoint and the host's gRPC are plain http.
            .WithSetting("HTTPS_PROXY", Proxy.Address.ToString())
            // An inherited bypass list (localhost is a common entry) would send vault.localhost around the proxy, where it does not resolve.
            .WithSetting("NO_PROXY", "")
            .WithSetting("no_proxy", "");
        foreach (var (name, value) in Identity.EnvironmentVariables)
        {
            options.WithSetting(name, value);
        }

        SetInterval(options, "RefreshInterval", refreshInterval);
        SetInterval(options, "MaxStaleness", maxStaleness);
        SetInterval(options, "FetchTimeout", fetchTimeout);
        return options;
    }

    /// <summary>Every value a worker must never log: the identity header and each managed-identity token issued.</summary>
    public IEnumerable<string> IdentitySecrets => Identity.IssuedTokens.Prepend(Identity.IdentityHeader);

    private static void SetInterval(FunctionsHostOptions options, string name, TimeSpan? value)
    {
        if (value is { } interval)
        {
            options.WithSetting($"KeyVault__{name}", interval.ToString("c", CultureInfo.InvariantCulture));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Vault.DisposeAsync();
        await Identity.DisposeAsync();
        await Proxy.DisposeAsync();
        Certificate.Dispose();
        foreach (var file in _trustFiles)
        {
            File.Delete(file);
        }
    }
}
