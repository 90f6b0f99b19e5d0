using Microsoft.Extensions.DependencyInjection;
using TokenFunction.Callers;
using TokenFunction.Functions;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>The app configured with an OpenID provider (the real one or the stand-in) as its authority, and ways to call its token endpoint.</summary>
public sealed class CallerTestApp : IDisposable
{
    private readonly TestApp _app;

    public CallerTestApp(ITestOpenIdProvider provider, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
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
    public static Dictionary<string, string?> AuthoritySettings(ITestOpenIdProvider provider)
    {
        var settings = new Dictionary<string, string?> { ["CallerAuth:Authority"] = provider.Authority };
        for (var i = 0; i < provider.Audiences.Count; i++)
        {
            settings[$"CallerAuth:Audiences:{i}"] = provider.Audiences[i];
        }

        return settings;
    }

    /// <summary>The named client is the app's own seam for the authority's https: here it trusts the provider's certificate.</summary>
    public static void TrustAuthority(IServiceCollection services, ITestOpenIdProvider provider) =>
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

    /// <summary>Sends again every 100 ms until <paramref name="done"/> holds or <paramref name="timeout"/> passes; returns the last answer.</summary>
    public static async Task<ReadResponse> PollUntilAsync(Func<Task<ReadResponse>> send, Func<ReadResponse, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var response = await send();
            if (done(response) || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(100);
        }
    }
}
