using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// Roles and participant ids where real providers put them, in tokens from the real OpenID provider shaped
/// like Keycloak's, Auth0's and Entra ID's, read through CallerAuth:RolesClaim and CallerAuth:ParticipantIdClaim.
/// </summary>
[Trait("Category", OpenIdProviderFixture.Category)]
public sealed class ProviderClaimShapeTests(OpenIdProviderFixture provider) : IClassFixture<OpenIdProviderFixture>
{
    private const string AskingForAllowMod = """{"permissions":["allow_join","allow_mod"]}""";

    public static TheoryData<string, string, string> RoleClaimPaths => new()
    {
        // client, CallerAuth:RolesClaim, the role it carries there
        { ProviderClients.Keycloak.Id, "realm_access.roles", "moderator" },
        { ProviderClients.Keycloak.Id, $"resource_access.{ProviderClients.KeycloakClientId}.roles", "host" },
        { ProviderClients.Auth0.Id, ProviderClients.Auth0RolesClaim, "moderator" },
        { ProviderClients.Moderator.Id, "roles", "moderator" },
        // A claim literally named realm_access.roles wins over the nested realm_access.roles (which holds host).
        { ProviderClients.DottedNameAndNested.Id, "realm_access.roles", "moderator" },
        // "viewer moderator": two roles, not one role with a space in it.
        { ProviderClients.SpaceSeparatedRoles.Id, "roles", "moderator" },
    };

    [Theory]
    [MemberData(nameof(RoleClaimPaths))]
    public async Task A_role_where_the_providers_put_it_grants_its_permissions(string clientId, string rolesClaim, string role)
    {
        using var app = AppReadingRolesFrom(rolesClaim, role);
        var token = await provider.GetTokenAsync(ProviderClients.ById(clientId));

        var response = await app.PostAsync(token, AskingForAllowMod);

        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(["allow_join", "allow_mod"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(clientId, claims.GetProperty("participantId").GetString());
        var issued = Assert.Single(app.App.Logs, log => log.Id.Id == 2001);
        Assert.Contains($"CallerAuth:Roles:{role}", issued.Message);
    }

    [Theory]
    [InlineData("resource_access.account.roles")]
    [InlineData("resource_access.videosdk.roles")]
    [InlineData("preferred_username.roles")]
    public async Task A_path_to_other_roles_or_to_nothing_grants_nothing_beyond_the_defaults(string rolesClaim)
    {
        // The Keycloak token's host role sits at resource_access.videosdk.web.roles only (its moderator role,
        // which CallerTestApp maps too, at realm_access.roles).
        using var app = AppReadingRolesFrom(rolesClaim, "host");
        var token = await provider.GetTokenAsync(ProviderClients.Keycloak);

        var refused = await app.PostAsync(token, AskingForAllowMod);
        var plain = await app.PostAsync(token);

        refused.AssertProblem(HttpStatusCode.Forbidden, "permission_not_allowed");
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Equal(["allow_join"], plain.Json.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task A_roles_claim_that_is_an_object_is_refused_with_401_naming_the_claim()
    {
        using var app = AppReadingRolesFrom("realm_access", "moderator");
        var token = await provider.GetTokenAsync(ProviderClients.Keycloak);

        var response = await app.PostAsync(token);

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.Contains("its 'realm_access' claim is an object, not a string or an array of strings", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("offline_access", response.Body + response.Header("WWW-Authenticate"));
        app.AssertNoTokenIssued();
    }

    [Theory]
    [InlineData("user.id", "nested-id-client", "u-42")]
    [InlineData("client_id", "alice-123", "alice-123")]
    public async Task The_participant_id_can_come_from_another_or_a_nested_claim(string participantIdClaim, string clientId, string expected)
    {
        using var app = new CallerTestApp(provider, new Dictionary<string, string?> { ["CallerAuth:ParticipantIdClaim"] = participantIdClaim });
        var token = await provider.GetTokenAsync(ProviderClients.ById(clientId));

        var response = await app.PostAsync(token, $$"""{"participantId":"{{expected}}"}""");

        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(expected, claims.GetProperty("participantId").GetString());
    }

    /// <summary>Besides CallerTestApp's moderator, <paramref name="role"/> grants allow_mod too.</summary>
    private CallerTestApp AppReadingRolesFrom(string rolesClaim, string role) => new(provider, new Dictionary<string, string?>
    {
        ["CallerAuth:RolesClaim"] = rolesClaim,
        [$"CallerAuth:Roles:{role}:Permissions:0"] = "allow_join",
        [$"CallerAuth:Roles:{role}:Permissions:1"] = "allow_mod",
    });
}
