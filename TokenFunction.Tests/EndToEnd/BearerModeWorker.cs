using System.Text;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The built worker with CallerAuth__Authority at the real OpenID provider, which it reaches over https and
/// trusts through SSL_CERT_FILE like any process on Linux; signing credentials from the sample local settings.
/// </summary>
public sealed class BearerModeWorker : FunctionsHostFixture
{
    private readonly FunctionsHostOptions _options = LocalModeWorker.SampleSettings();
    private OpenIdProviderFixture? _provider;

    public OpenIdProviderFixture Provider => _provider ?? throw new InvalidOperationException("The fixture has not started.");

    public string ApiKey => _options.AppSettings["VideoSdk__ApiKey"];

    public string ApiSecret => _options.AppSettings["VideoSdk__ApiSecret"];

    /// <summary>POST /api/token with <paramref name="json"/> and, unless null, the caller's bearer token.</summary>
    public async Task<ReadResponse> PostTokenAsync(string? callerToken, string json = "{}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/token") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (callerToken is not null)
        {
            // As sent, unvalidated: the corpus's tokens hold characters HttpClient's own parser refuses.
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + callerToken);
        }

        return await (await Client.SendAsync(request)).ReadAsync();
    }

    protected override async Task<FunctionsHostOptions> CreateOptionsAsync()
    {
        _provider = await OpenIdProviderFixture.StartAsync();
        _options
            .WithSetting("CallerAuth__Authority", _provider.Authority)
            // Keycloak's realm roles, nested: the path setting as an app setting (environment variable).
            .WithSetting("CallerAuth__RolesClaim", "realm_access.roles")
            .WithSetting("CallerAuth__Roles__moderator__Permissions__0", "allow_join")
            .WithSetting("CallerAuth__Roles__moderator__Permissions__1", "allow_mod")
            .TrustCertificate(_provider.Certificate.Certificate)
            // Refused tokens are charged to the sender's address, and the caller-token corpus sends hundreds from one.
            .WithSetting("RateLimit__Burst", "100000")
            .WithSetting("RateLimit__TokensPerPeriod", "100000");
        for (var i = 0; i < _provider.Audiences.Count; i++)
        {
            _options.WithSetting($"CallerAuth__Audiences__{i}", _provider.Audiences[i]);
        }

        return _options;
    }

    protected override async Task DisposeDependenciesAsync()
    {
        if (_provider is not null)
        {
            await ((IAsyncDisposable)_provider).DisposeAsync();
        }
    }
}
