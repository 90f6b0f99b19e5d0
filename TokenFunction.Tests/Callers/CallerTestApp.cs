using Microsoft.Extensions.DependencyInjection;
using TokenFunction.Callers;
using TokenFunction.Functions;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>The app configured with the OpenID provider stand-in as its authority, and ways to call its token endpoint.</summary>
public sealed class CallerTestApp : IDisposable
{
    private readonly TestApp _app;

    public CallerTestApp(OpenIdProviderStandIn provider, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var all = AuthoritySettings(provider);
        all["CallerAuth:Roles:moderator:Permissions:0"] = "allow_join";
        all["CallerAuth:Roles:moderator:Permissions:1"] = "allow_mod";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        _app = new TestApp(all, services =>
        {
            TrustAuthority(services, provider);
            configure?.Invoke(services);
        });
    }

    /// <summary>Bearer mode with <paramref name="provider"/> as the authority; for any test app (the rooms test bed too).</summary>
    public static Dictionary<string, string?> AuthoritySettings(OpenIdProviderStandIn provider) => new()
    {
        ["CallerAuth:Authority"] = provider.Authority,
        ["CallerAuth:Audiences:0"] = OpenIdProviderStandIn.Audience,
    };

    /// <summary>The named client is the app's own seam for the authority's https: here it trusts the stand-in's certificate.</summary>
    public static void TrustAuthority(IServiceCollection services, OpenIdProviderStandIn provider) =>
        services.AddHttpClient(AuthorityDocumentRetriever.HttpClientName).ConfigurePrimaryHttpMessageHandler(provider.CreateTrustingHandler);

    public TestApp App => _app;

    public Task<ReadResponse> PostAsync(string? bearerToken, string json = "{}", params (string Name, string Value)[] headers)
    {
        var all = new List<KeyValuePair<string, string>> { new("Content-Type", "application/json") };
        if (bearerToken is not null)
        {
            all.Add(Bearer(bearerToken));
        }

        all.AddRange(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));
        return SendAsync(FakeHttpRequestData.Create("POST", body: System.Text.Encoding.UTF8.GetBytes(json), headers: all));
    }

    /// <summary>The Authorization header a signed-in client sends.</summary>
    public static KeyValuePair<string, string> Bearer(string token) => new("Authorization", "Bearer " + token);

    public async Task<ReadResponse> SendAsync(FakeHttpRequestData request) =>
        ReadResponse.From(await _app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    /// <summary>No token left the app: none in the body (checked by AssertProblem) and no issued-token log line.</summary>
    public void AssertNoTokenIssued() => Assert.DoesNotContain(_app.Logs, log => log.Id.Id == 2001);

    public void Dispose() => _app.Dispose();
}
