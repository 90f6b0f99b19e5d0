using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// A fresh OpenID provider stand-in and an app whose authority it is, for every test: the tests that change what the
/// provider does (an outage, a moved key set, broken tokens) or count what it serves, so none sees another's changes.
/// </summary>
public abstract class StandInProviderTests : IAsyncLifetime
{
    protected OpenIdProviderStandIn Provider { get; private set; } = null!;

    protected CallerTestApp CallerApp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await OpenIdProviderStandIn.StartAsync();
        CallerApp = new CallerTestApp(Provider);
    }

    public async Task DisposeAsync()
    {
        CallerApp.Dispose();
        await Provider.DisposeAsync();
    }
}
