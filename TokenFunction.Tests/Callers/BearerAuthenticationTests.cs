using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using TokenFunction.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>Caller tokens checked against the loopback OpenID provider: who gets a token, and why the others do not.</summary>
public sealed class BearerAuthenticationTests : IAsyncLifetime, IDisposable
{
    private OpenIdProviderStandIn _provider = null!;
    private CallerTestApp _app = null!;

    public async Task InitializeAsync()
    {
        _provider = await OpenIdProviderStandIn.StartAsync();
        _app = new CallerTestApp(_provider);
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("RSA")]
    [InlineData("EC")]
    public async Task A_valid_caller_gets_a_token_bound_to_its_verified_identity(string keyType)
    {
        var key = keyType == "RSA" ? _provider.RsaKey : _provider.EcKey;

        var response = await _app.PostAsync(_provider.IssueToken("alice-123", key: key), """{"roomId":"abcd-efgh-ijkl"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal("alice-123", claims.GetProperty("participantId").GetString());
        Assert.Equal(["allow_join"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("alice-123", response.Json.GetProperty("participantId").GetString());
    }

    public static TheoryData<string, string> BrokenTokens => new()
    {
        // case, expected words in the description
        { "expired", "expired" },
        { "not yet valid", "not valid before" },
        { "wrong issuer", "wrong issuer" },
        { "wrong audience", "wrong audience" },
        { "bad signature", "signature" },
        { "unpublished key", "unknown signing key" },
        { "alg none", "signature" },
        { "HS256 with the public key", "signature" },
        { "no sub claim", "'sub' claim" },
        { "not a JWT", "malformed" },
        { "audience with a trailing slash", "wrong audience" },
        { "audience in another case", "wrong audience" },
        { "no kid", "no kid" },
        { "kid of no published key, signed by a published one", "unknown signing key" },
        { "crit [\"exp\"]", "crit" },
        { "crit []", "crit" },
        { "crit null", "crit" },
        { "crit \"b64\"", "crit" },
    };

    [Theory]
    [MemberData(nameof(BrokenTokens))]
    public async Task A_bad_token_gets_401_saying_what_is_wrong_and_no_token(string broken, string reason)
    {
        var token = Break(broken);

        var response = await _app.PostAsync(token);

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        var challenge = response.Header("WWW-Authenticate")!;
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge);
        Assert.True(challenge.Contains(reason, StringComparison.Ordinal), challenge + " / " + _app.App.AllLogText);
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(token.Split('.')[0], response.Body + challenge);
        _app.AssertNoTokenIssued();
    }

    private string Break(string broken)
    {
        var past = DateTime.UtcNow.AddHours(-2);
        return broken switch
        {
            // Beyond the 2-minute clock skew on either side.
            "expired" => _provider.IssueToken(customize: d => (d.IssuedAt, d.NotBefore, d.Expires) = (past, past, DateTime.UtcNow.AddMinutes(-3))),
            "not yet valid" => _provider.IssueToken(customize: d => (d.NotBefore, d.Expires) = (DateTime.UtcNow.AddMinutes(5), DateTime.UtcNow.AddMinutes(15))),
            "wrong issuer" => _provider.IssueToken(customize: d => d.Issuer = "https://login.example.net/other-tenant"),
            "wrong audience" => _provider.IssueToken(customize: d => d.Audience = "api://some-other-api"),
            "bad signature" => _provider.IssueToken(key: new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = _provider.RsaKey.KeyId }),
            "unpublished key" => _provider.IssueToken(key: OpenIdProviderStandIn.NewRsaKey()),
            "alg none" => _provider.IssueUnsignedToken(),
            "HS256 with the public key" => _provider.IssueTokenSignedWithPublicKeyAsHmacSecret(),
            "no sub claim" => _provider.IssueToken(customize: d => d.Claims.Remove("sub")),
            "not a JWT" => "not-a-jwt",
            // Exact audience: Microsoft.IdentityModel would otherwise ignore a trailing slash.
            "audience with a trailing slash" => _provider.IssueToken(customize: d => d.Audience = OpenIdProviderStandIn.Audience + "/"),
            "audience in another case" => _provider.IssueToken(customize: d => d.Audience = OpenIdProviderStandIn.Audience.ToUpperInvariant()),
            // Signed by the published RSA key, so only the header rule can refuse it.
            "no kid" => _provider.IssueToken(key: new RsaSecurityKey(((RsaSecurityKey)_provider.RsaKey).Rsa)),
            "kid of no published key, signed by a published one" =>
                _provider.IssueToken(key: new RsaSecurityKey(((RsaSecurityKey)_provider.RsaKey).Rsa) { KeyId = "rsa-not-published" }),
            _ when broken.StartsWith("crit ", StringComparison.Ordinal) =>
                _provider.IssueToken(customize: d => d.AdditionalHeaderClaims = new Dictionary<string, object>
                {
                    ["crit"] = System.Text.Json.JsonDocument.Parse(broken["crit ".Length..]).RootElement.Clone(),
                }),
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task No_bearer_token_gets_401_with_a_bare_Bearer_challenge(string? authorization)
    {
        var headers = authorization is null ? [] : new[] { ("Authorization", authorization) };

        var response = await _app.PostAsync(null, "{}", headers);

        response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_missing");
        Assert.Equal("Bearer", response.Header("WWW-Authenticate"));
        _app.AssertNoTokenIssued();
    }

    [Fact]
    public async Task Key_rollover_an_unknown_kid_refreshes_the_key_set_once_and_the_new_key_is_then_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await _app.PostAsync(_provider.IssueToken())).Status);
        var fetchesBefore = _provider.KeySetFetches;

        var rotated = _provider.RotateRsaKey();
        var token = _provider.IssueToken("bob", key: rotated);
        var first = await _app.PostAsync(token);

        // Microsoft.IdentityModel 8.x refreshes in the background (its default, non-blocking mode): the request
        // that reveals the unknown kid is refused, and the refresh it triggered serves the retry.
        first.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.Contains("unknown signing key", first.Header("WWW-Authenticate"));
        var retried = await PollUntilAsync(() => _app.PostAsync(token), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal("bob", retried.Json.GetProperty("participantId").GetString());
        Assert.Equal(fetchesBefore + 1, _provider.KeySetFetches);
    }

    [Fact]
    public async Task Tokens_signed_with_keys_the_provider_never_published_do_not_make_it_refetch_each_time()
    {
        Assert.Equal(HttpStatusCode.OK, (await _app.PostAsync(_provider.IssueToken())).Status);
        var fetchesBefore = _provider.KeySetFetches;

        var unpublished = OpenIdProviderStandIn.NewRsaKey();
        for (var i = 0; i < 10; i++)
        {
            (await _app.PostAsync(_provider.IssueToken(key: unpublished)))
                .AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        }

        // The manager honours one refresh request per refresh interval (5 minutes by default).
        Assert.InRange(_provider.KeySetFetches - fetchesBefore, 0, 1);
    }

    [Fact]
    public async Task Provider_unreachable_at_start_answers_503_fetches_at_most_once_per_window_then_recovers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new CallerTestApp(_provider, configure: services => services.AddSingleton<TimeProvider>(time));
        _provider.Available = false;

        var down = await app.PostAsync(_provider.IssueToken());
        var fetchesWhileDown = _provider.DiscoveryFetches;
        _provider.Available = true;
        var stillWithinWindow = await app.PostAsync(_provider.IssueToken());

        down.AssertProblem(HttpStatusCode.ServiceUnavailable, "caller_authority_unavailable");
        Assert.Equal("10", down.Header("Retry-After"));
        stillWithinWindow.AssertProblem(HttpStatusCode.ServiceUnavailable, "caller_authority_unavailable");
        // One attempt (Microsoft.IdentityModel's retriever itself retries a 503 once), none within the window.
        Assert.InRange(fetchesWhileDown, 1, 2);
        Assert.Equal(fetchesWhileDown, _provider.DiscoveryFetches);
        app.AssertNoTokenIssued();

        time.Advance(BearerCallerAuthenticator.AuthorityRetryAfter);
        var recovered = await app.PostAsync(_provider.IssueToken("carol"));

        Assert.Equal(HttpStatusCode.OK, recovered.Status);
        IndependentTokenVerifier.Verify(recovered.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(fetchesWhileDown + 1, _provider.DiscoveryFetches);
    }

    [Fact]
    public async Task Nothing_logged_contains_a_caller_token()
    {
        var good = _provider.IssueToken();
        var expired = _provider.IssueToken(customize: d => (d.IssuedAt, d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1)));
        await _app.PostAsync(good);
        await _app.PostAsync(expired);

        var logged = _app.App.AllLogText;
        Assert.DoesNotContain(good.Split('.')[1], logged);
        Assert.DoesNotContain(expired.Split('.')[2], logged);
        Assert.DoesNotContain("eyJ", logged);
        Assert.Contains("expired", logged);
    }

    internal static async Task<ReadResponse> PollUntilAsync(Func<Task<ReadResponse>> send, Func<ReadResponse, bool> done, TimeSpan timeout)
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
