using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// The claim-shape corpus through /api/token, with tokens the real provider signed: a participant claim or a roles
/// claim of any wrong JSON type or shape is 401 caller_token_invalid naming the claim, never a 500 and never read
/// leniently (a number as an id, an object's text as a role). The shapes docs/caller-auth.md accepts for roles
/// (null or missing, a string split at spaces, an array of strings) grant nothing beyond what their strings name.
/// </summary>
[Trait("Category", OpenIdProviderFixture.Category)]
public sealed class CallerClaimShapeTests(OpenIdProviderFixture provider) : IClassFixture<OpenIdProviderFixture>, IDisposable
{
    /// <summary>Roles that are well-typed but grant nothing here (null, "", [""], [], a long unknown name).</summary>
    private static readonly string[] RolesGrantingNothing = ["null", "\"\"", "[\"\"]", "[]", $"\"{new string('m', 129)}\""];

    private readonly CallerTestApp _app = new(provider);

    public void Dispose() => _app.Dispose();

    public static TheoryData<string, string, string> Refused => Shapes(refused: true);

    public static TheoryData<string, string, string> GrantingNothing => Shapes(refused: false);

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_claim_of_the_wrong_type_or_shape_is_401_naming_the_claim(string claim, string json, string clientId)
    {
        var token = await provider.GetTokenAsync(ProviderClients.ById(clientId));

        var response = await _app.PostAsync(token);

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.Contains($"'{claim}' claim", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"'{claim}' claim", response.Header("WWW-Authenticate"), StringComparison.Ordinal);
        Assert.True(json.Length < 8 || !response.Body.Contains(json[1..^1], StringComparison.Ordinal), "the claim's value was echoed");
        _app.AssertNoTokenIssued();
    }

    [Theory]
    [MemberData(nameof(GrantingNothing))]
    public async Task Roles_that_name_no_configured_role_grant_only_the_defaults(string claim, string json, string clientId)
    {
        Assert.Equal("roles", claim);
        var token = await provider.GetTokenAsync(ProviderClients.ById(clientId));

        var moderator = await _app.PostAsync(token, """{"permissions":["allow_mod"]}""");
        var plain = await _app.PostAsync(token);

        moderator.AssertProblem(HttpStatusCode.Forbidden, "permission_not_allowed");
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Equal(["allow_join"], plain.Json.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.True(json.Length > 0);
    }

    private static TheoryData<string, string, string> Shapes(bool refused)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (claim, json, client) in ProviderClients.ClaimShapes)
        {
            if (refused == !(claim == "roles" && RolesGrantingNothing.Contains(json)))
            {
                data.Add(claim, json, client.Id);
            }
        }

        return data;
    }
}
