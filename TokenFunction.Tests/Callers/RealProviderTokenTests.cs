using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// Caller tokens from a real, OpenID Certified provider (oidc-provider), fetched with real client-credentials
/// requests, through /api/token: who gets a token, and why the others do not.
/// </summary>
[Trait("Category", OpenIdProviderFixture.Category)]
public sealed class RealProviderTokenTests(OpenIdProviderFixture provider) : IClassFixture<OpenIdProviderFixture>, IDisposable
{
    private readonly CallerTestApp _app = new(provider);

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData(ProviderResources.Rs256, "RS256")]
    [InlineData(ProviderResources.Ps256, "PS256")]
    [InlineData(ProviderResources.Es256, "ES256")]
    public async Task A_token_signed_with_each_algorithm_gets_a_token_whose_participant_is_its_sub(string resource, string algorithm)
    {
        var callerToken = await provider.GetTokenAsync(ProviderClients.Alice, resource);

        var response = await _app.PostAsync(callerToken, """{"roomId":"abcd-efgh-ijkl"}""");

        var jwt = new JsonWebToken(callerToken);
        Assert.Equal(algorithm, jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(resource, Assert.Single(jwt.Audiences));
        Assert.Equal(ProviderClients.Alice.Id, jwt.Subject);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(ProviderClients.Alice.Id, claims.GetProperty("participantId").GetString());
        Assert.Equal(["allow_join"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("abcd-efgh-ijkl", claims.GetProperty("roomId").GetString());
    }

    [Fact]
    public async Task A_token_for_another_resource_of_the_same_provider_gets_401_wrong_audience()
    {
        var token = await provider.GetTokenAsync(ProviderClients.Alice, ProviderResources.AnotherApi);

        var response = await _app.PostAsync(token);

        Assert.Equal(ProviderResources.AnotherApi, Assert.Single(new JsonWebToken(token).Audiences));
        AssertRefused(response, "wrong audience", token);
    }

    [Fact]
    public async Task A_token_from_another_issuer_with_the_same_keys_gets_401_wrong_issuer()
    {
        // Same server, same key set, same audience: only iss differs, and the signature alone verifies.
        var token = await provider.GetNeighbourTokenAsync(ProviderClients.Alice);

        var response = await _app.PostAsync(token);

        Assert.Equal(provider.NeighbourAuthority, new JsonWebToken(token).Issuer);
        AssertRefused(response, "wrong issuer", token);
    }

    [Fact]
    public async Task A_token_from_an_unrelated_instance_of_the_same_software_gets_401()
    {
        await using var unrelated = await OpenIdProviderFixture.StartAsync();
        var token = await unrelated.GetTokenAsync(ProviderClients.Alice);

        var response = await _app.PostAsync(token);

        // Its keys are unknown here too, but its issuer (another port) is what the app names first; a token
        // under the right issuer with a key the provider never published is the forged case below.
        Assert.DoesNotContain(new JsonWebToken(token).Kid, provider.KeyIds);
        AssertRefused(response, "wrong issuer", token);
    }

    public static TheoryData<string, string> BrokenTokens => new()
    {
        // case, expected words in the description
        { "expired", "expired" },
        { "not yet valid", "not valid before" },
        { "tampered signature", "signature" },
        { "signed with an unpublished key", "unknown signing key" },
        { "alg none", "signature" },
        { "HS256 keyed with the published key set", "signature" },
        { "no sub", "'sub' claim" },
        { "sub null", "'sub' claim" },
        { "sub a number", "'sub' claim" },
        { "sub not usable as a participant id", "'sub' claim" },
        { "not a JWT", "exactly three segments" },
    };

    [Theory]
    [MemberData(nameof(BrokenTokens))]
    public async Task A_bad_token_gets_401_saying_what_is_wrong_and_no_token(string broken, string reason)
    {
        var token = await BreakAsync(broken);

        var response = await _app.PostAsync(token);

        AssertRefused(response, reason, token);
    }

    private async Task<string> BreakAsync(string broken) => broken switch
    {
        "expired" => await provider.GetTokenAsync(ProviderClients.Expired),
        "not yet valid" => await provider.GetTokenAsync(ProviderClients.NotYetValid),
        "tampered signature" => TokenForgery.WithTamperedSignature(await provider.GetTokenAsync(ProviderClients.Alice)),
        "signed with an unpublished key" => TokenForgery.SignedWithUnpublishedKey(await provider.GetTokenAsync(ProviderClients.Alice)),
        "alg none" => TokenForgery.WithoutSignature(await provider.GetTokenAsync(ProviderClients.Alice)),
        "HS256 keyed with the published key set" => TokenForgery.SignedWithKeySetAsHmacSecret(
            await provider.GetTokenAsync(ProviderClients.Alice), await provider.GetKeySetJsonAsync()),
        "no sub" => await provider.GetTokenAsync(ProviderClients.NoSubject),
        "sub null" => await provider.GetTokenAsync(ProviderClients.NullSubject),
        "sub a number" => await provider.GetTokenAsync(ProviderClients.NumericSubject),
        "sub not usable as a participant id" => await provider.GetTokenAsync(ProviderClients.UnusableSubject),
        "not a JWT" => "not-a-jwt",
        _ => throw new ArgumentOutOfRangeException(nameof(broken)),
    };

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
    public async Task Nothing_logged_contains_a_caller_token()
    {
        var good = await provider.GetTokenAsync(ProviderClients.Moderator);
        var expired = await provider.GetTokenAsync(ProviderClients.Expired);
        await _app.PostAsync(good);
        await _app.PostAsync(expired);

        var logged = _app.App.AllLogText;
        Assert.DoesNotContain(good.Split('.')[1], logged);
        Assert.DoesNotContain(expired.Split('.')[2], logged);
        Assert.DoesNotContain("eyJ", logged);
        Assert.Contains("expired", logged);
    }

    /// <summary>401 caller_token_invalid, the reason in the challenge and the problem, nothing of the token echoed, no token issued.</summary>
    private void AssertRefused(ReadResponse response, string reason, string token)
    {
        var problem = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        var challenge = response.Header("WWW-Authenticate")!;
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge);
        Assert.True(challenge.Contains(reason, StringComparison.Ordinal), challenge + " / " + _app.App.AllLogText);
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.All(token.Split('.').Where(part => part.Length > 0), part => Assert.DoesNotContain(part, response.Body + challenge));
        _app.AssertNoTokenIssued();
    }
}
