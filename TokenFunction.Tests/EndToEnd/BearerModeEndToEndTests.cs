using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The real worker, a real OpenID provider, real client-credentials requests: a signed-in caller gets a
/// VideoSDK token bound to its identity, and the refusals reach the client as the contract says.
/// </summary>
public sealed class BearerModeEndToEndTests(BearerModeWorker worker) : IClassFixture<BearerModeWorker>
{
    [Theory]
    [InlineData(ProviderResources.Rs256)]
    [InlineData(ProviderResources.Es256)]
    public async Task A_caller_with_a_token_from_the_provider_gets_a_token_bound_to_its_identity(string resource)
    {
        var callerToken = await worker.Provider.GetTokenAsync(ProviderClients.Alice, resource);

        var response = await worker.PostTokenAsync(callerToken, """{"roomId":"abcd-efgh-ijkl"}""");

        Assert.True(response.Status == HttpStatusCode.OK, $"{(int)response.Status}: {response.Body}{Environment.NewLine}{worker.Host.Log.Tail()}");
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, worker.ApiSecret);
        Assert.Equal(worker.ApiKey, claims.GetProperty("apikey").GetString());
        Assert.Equal(ProviderClients.Alice.Id, claims.GetProperty("participantId").GetString());
        Assert.Equal(["allow_join"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("abcd-efgh-ijkl", claims.GetProperty("roomId").GetString());
        AssertNotLogged(callerToken);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_with_a_bare_Bearer_challenge()
    {
        var response = await worker.PostTokenAsync(null);

        response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_missing");
        Assert.Equal("Bearer", response.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task An_expired_token_gets_401_with_an_invalid_token_challenge()
    {
        var callerToken = await worker.Provider.GetTokenAsync(ProviderClients.Expired);

        var response = await worker.PostTokenAsync(callerToken);

        response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", response.Header("WWW-Authenticate"));
        Assert.Contains("expired", response.Header("WWW-Authenticate"));
        AssertNotLogged(callerToken);
    }

    [Fact]
    public async Task Allow_mod_is_forbidden_without_the_role_and_granted_with_a_Keycloak_realm_role()
    {
        const string asking = """{"permissions":["allow_join","allow_mod"]}""";

        var plain = await worker.PostTokenAsync(await worker.Provider.GetTokenAsync(ProviderClients.Alice), asking);
        var moderator = await worker.PostTokenAsync(await worker.Provider.GetTokenAsync(ProviderClients.Keycloak, ProviderResources.Ps256), asking);

        var problem = plain.AssertProblem(HttpStatusCode.Forbidden, "permission_not_allowed");
        Assert.Contains("'allow_mod'", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, moderator.Status);
        var (_, claims) = IndependentTokenVerifier.Verify(moderator.Json.GetProperty("token").GetString()!, worker.ApiSecret);
        Assert.Equal(["allow_join", "allow_mod"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(ProviderClients.Keycloak.Id, claims.GetProperty("participantId").GetString());
    }

    /// <summary>The participant claim's wrong shapes (this worker reads roles from realm_access.roles; roles shapes are covered in-process).</summary>
    public static TheoryData<string> WrongSubjects => new(ProviderClients.ClaimShapes.Where(s => s.Claim == "sub").Select(s => s.Client.Id));

    /// <summary>Class 2 of issue 13 through the worker: a null sub was a 500 here; every wrong shape is a 401 naming the claim.</summary>
    [Theory]
    [MemberData(nameof(WrongSubjects))]
    public async Task A_participant_claim_of_the_wrong_type_or_shape_is_401_naming_the_claim(string clientId)
    {
        var callerToken = await worker.Provider.GetTokenAsync(ProviderClients.ById(clientId));

        var response = await worker.PostTokenAsync(callerToken);

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.Contains("'sub' claim", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Host.Log.Snapshot(), e => e.Level is "Error" or "Critical");
        AssertNotLogged(callerToken);
    }

    [Fact]
    public async Task Naming_another_participant_is_forbidden()
    {
        var callerToken = await worker.Provider.GetTokenAsync(ProviderClients.Alice);

        var response = await worker.PostTokenAsync(callerToken, """{"participantId":"mallory"}""");

        var problem = response.AssertProblem(HttpStatusCode.Forbidden, "participant_mismatch");
        Assert.Equal("participantId", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    private void AssertNotLogged(string callerToken)
    {
        var leaks = worker.Host.Log.Snapshot().Where(e =>
            e.FullText.Contains(callerToken.Split('.')[1], StringComparison.Ordinal) || e.FullText.Contains(callerToken.Split('.')[2], StringComparison.Ordinal));
        Assert.Empty(leaks.Select(e => e.Source + "/" + e.Category));
    }
}
