namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// The real OpenID provider (<see cref="RealOpenIdProvider"/>) knowing every client of <see cref="ProviderClients"/>:
/// once per test class (IClassFixture), or <see cref="StartAsync"/> for one of its own.
/// </summary>
public sealed class OpenIdProviderFixture() : RealOpenIdProvider(ProviderClients.All), IAsyncLifetime
{
    /// <summary>The test category of the classes that use it: Node processes, left out of the fast inner loop (docs/testing.md).</summary>
    public const string Category = "RealOpenIdProvider";

    /// <summary>A provider of its own (not a class fixture); dispose it.</summary>
    public static async Task<OpenIdProviderFixture> StartAsync()
    {
        var provider = new OpenIdProviderFixture();
        await provider.LaunchAsync();
        return provider;
    }

    public Task InitializeAsync() => LaunchAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
