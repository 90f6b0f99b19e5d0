using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using TokenFunction.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// Key rollover at the real provider: it restarts with a new key set (the old keys still published), and
/// the app meets the new key ids in callers' tokens before it has read the new key set.
/// </summary>
[Trait("Category", OpenIdProviderFixture.Category)]
public sealed class RealProviderKeyRolloverTests(OpenIdProviderFixture provider) : IClassFixture<OpenIdProviderFixture>
{
    /// <summary>Only against a hang: the poll ends as soon as the background refresh has landed, however slow the machine.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_first_token_with_a_new_kid_is_refused_the_key_set_is_read_once_and_then_every_new_key_is_accepted()
    {
        var fetches = new ConcurrentQueue<string>();
        using var app = new CallerTestApp(provider, configure: services => services.AddHttpClient(AuthorityDocumentRetriever.HttpClientName)
            .AddHttpMessageHandler(() => new RecordingHandler(fetches)));
        var beforeRollover = await provider.GetTokenAsync(ProviderClients.Alice, ProviderResources.Rs256);
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync(beforeRollover)).Status);
        var oldKeys = provider.KeyIds;
        fetches.Clear();

        await provider.RestartWithNewKeysAsync();
        var rs256 = await provider.GetTokenAsync(ProviderClients.Alice, ProviderResources.Rs256);
        var first = await app.PostAsync(rs256);
        var retried = await CallerTestApp.PollUntilAsync(() => app.PostAsync(rs256), r => r.Status == HttpStatusCode.OK, HangGuard);

        Assert.DoesNotContain(new JsonWebToken(rs256).Kid, oldKeys);
        // Microsoft.IdentityModel refreshes in the background: the request that reveals the new kid is refused.
        first.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.Contains("unknown signing key", first.Header("WWW-Authenticate"));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(ProviderClients.Alice.Id, retried.Json.GetProperty("participantId").GetString());

        // The one refresh brought every new key: the other algorithms' new keys need no further fetch, and the
        // old keys, still published, still verify tokens issued before the rollover.
        foreach (var resource in new[] { ProviderResources.Ps256, ProviderResources.Es256 })
        {
            var token = await provider.GetTokenAsync(ProviderClients.Alice, resource);
            Assert.DoesNotContain(new JsonWebToken(token).Kid, oldKeys);
            Assert.Equal(HttpStatusCode.OK, (await app.PostAsync(token)).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync(beforeRollover)).Status);
        Assert.Equal([OpenIdProviderFixture.IssuerPath + "/.well-known/openid-configuration", OpenIdProviderFixture.IssuerPath + "/jwks"], fetches);
    }

    /// <summary>Records the path of every request the app makes to the authority.</summary>
    private sealed class RecordingHandler(ConcurrentQueue<string> paths) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            paths.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
