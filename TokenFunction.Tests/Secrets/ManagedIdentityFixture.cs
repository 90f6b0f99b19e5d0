namespace TokenFunction.Tests.Secrets;

/// <summary>
/// The one managed-identity endpoint of this test process. Azure.Identity (through MSAL) detects the
/// managed-identity source once per process and caches it, so IDENTITY_ENDPOINT / IDENTITY_HEADER are set
/// once, before any test asks for a token, and every test that needs a token joins this collection.
/// </summary>
public sealed class ManagedIdentityFixture : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _previousVariables = [];

    public ManagedIdentityStandIn Identity { get; private set; } = null!;

    /// <summary>The TLS certificate every vault stand-in in the collection serves, and the SDK clients trust.</summary>
    public TestCertificate Certificate { get; } = TestCertificate.CreateForLoopback();

    /// <summary>How the SDK clients reach vault.localhost (see <see cref="KeyVaultStandIn"/> on names).</summary>
    public LoopbackConnectProxy Proxy { get; } = LoopbackConnectProxy.Start();

    public async Task InitializeAsync()
    {
        Identity = await ManagedIdentityStandIn.StartAsync();
        foreach (var (name, value) in Identity.EnvironmentVariables)
        {
            _previousVariables[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public async Task DisposeAsync()
    {
        // Restored once, after the last test of the collection, so later test classes see the machine as it was.
        foreach (var (name, value) in _previousVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await Identity.DisposeAsync();
        await Proxy.DisposeAsync();
        Certificate.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedManagedIdentity : ICollectionFixture<ManagedIdentityFixture>
{
    public const string Name = "Process-wide managed identity endpoint";
}
