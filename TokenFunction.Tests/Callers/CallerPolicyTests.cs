using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// What a signed-in caller may get: its own identity, the every-caller permissions, and what its roles add;
/// callers' tokens from the real OpenID provider.
/// </summary>
[Trait("Category", OpenIdProviderFixture.Category)]
public sealed class CallerPolicyTests(OpenIdProviderFixture provider) : IClassFixture<OpenIdProviderFixture>, IDisposable
{
    private readonly CallerTestApp _app = new(provider, new Dictionary<string, string?>
    {
        ["CallerAuth:Roles:host:Permissions:0"] = "allow_mod",
        ["CallerAuth:Roles:host:RequireRoom"] = "true",
    });

    public void Dispose() => _app.Dispose();

    private Task<string> TokenOf(ProviderClient client) => provider.GetTokenAsync(client);

    [Fact]
    public async Task A_request_naming_another_participant_is_refused_with_403()
    {
        var response = await _app.PostAsync(await TokenOf(ProviderClients.Alice), """{"participantId":"mallory"}""");

        var problem = response.AssertProblem(HttpStatusCode.Forbidden, "participant_mismatch");
        Assert.Equal("participantId", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        _app.AssertNoTokenIssued();
    }

    [Fact]
    public async Task A_request_naming_the_caller_itself_is_granted()
    {
        var response = await _app.PostAsync(await TokenOf(ProviderClients.Alice), """{"participantId":"alice-123"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal("alice-123", claims.GetProperty("participantId").GetString());
    }

    [Fact]
    public async Task A_permission_beyond_the_callers_rules_is_refused_with_403_naming_it()
    {
        var response = await _app.PostAsync(await TokenOf(ProviderClients.Alice), """{"permissions":["allow_join","allow_mod"]}""");

        var problem = response.AssertProblem(HttpStatusCode.Forbidden, "permission_not_allowed");
        Assert.Contains("'allow_mod'", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("'allow_join'", problem.GetProperty("detail").GetString()!.Split(';')[0]);
        _app.AssertNoTokenIssued();
    }

    [Fact]
    public async Task A_role_mapped_moderator_gets_allow_mod_and_the_log_names_caller_and_rule()
    {
        var response = await _app.PostAsync(await TokenOf(ProviderClients.Moderator), """{"permissions":["allow_join","allow_mod"]}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(["allow_join", "allow_mod"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("mod-7", claims.GetProperty("participantId").GetString());

        var issued = Assert.Single(_app.App.Logs, log => log.Id.Id == 2001);
        Assert.Contains("caller 'mod-7'", issued.Message);
        Assert.Contains("Tokens:AllowedPermissions", issued.Message);
        Assert.Contains("CallerAuth:Roles:moderator", issued.Message);
    }

    [Fact]
    public async Task Without_permissions_a_moderator_gets_the_default_set_only()
    {
        var response = await _app.PostAsync(await TokenOf(ProviderClients.Moderator));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["allow_join"], response.Json.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task A_role_a_string_claim_holds_counts_like_an_array_element()
    {
        var token = await TokenOf(ProviderClients.SingleRoleString);

        var response = await _app.PostAsync(token, """{"permissions":["allow_mod"]}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_room_only_role_needs_a_roomId()
    {
        var token = await TokenOf(ProviderClients.Host);

        var withoutRoom = await _app.PostAsync(token, """{"permissions":["allow_join","allow_mod"]}""");
        var withRoom = await _app.PostAsync(token, """{"permissions":["allow_join","allow_mod"],"roomId":"abcd-efgh-ijkl"}""");

        var problem = withoutRoom.AssertProblem(HttpStatusCode.Forbidden, "room_required");
        Assert.Contains("CallerAuth:Roles:host", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, withRoom.Status);
        var (_, claims) = IndependentTokenVerifier.Verify(withRoom.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal("abcd-efgh-ijkl", claims.GetProperty("roomId").GetString());
        Assert.Single(_app.App.Logs, log => log.Id.Id == 2001);
    }
}
