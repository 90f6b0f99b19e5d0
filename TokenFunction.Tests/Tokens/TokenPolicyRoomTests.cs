using Microsoft.Extensions.Options;
using TokenFunction.Callers;
using TokenFunction.Tokens;

namespace TokenFunction.Tests.Tokens;

/// <summary>A permission only room-bound roles grant: what a caller holding it through several roles is told.</summary>
public sealed class TokenPolicyRoomTests
{
    private static readonly TokenPolicy Policy = new(Options.Create(new TokenPolicyOptions()), new RolePermissionRules(
        new Dictionary<string, PermissionRule>
        {
            ["host"] = new("CallerAuth:Roles:host", new HashSet<string> { "allow_mod" }, RequireRoom: true),
            ["cohost"] = new("CallerAuth:Roles:cohost", new HashSet<string> { "allow_mod" }, RequireRoom: true),
        }));

    [Fact]
    public void Without_a_room_the_refusal_names_every_role_that_grants_the_permission()
    {
        var caller = CallerIdentity.Authenticated("user-1", ["host", "cohost"], null);

        var refused = Policy.Decide(new TokenRequest(Permissions: ["allow_mod"]), caller);

        Assert.Equal("room_required", refused.Problem?.Error.Code);
        Assert.Equal("'allow_mod' is granted to you (CallerAuth:Roles:host, CallerAuth:Roles:cohost) only in a token for one room: send roomId.",
            refused.Problem?.Detail);
    }

    [Fact]
    public void With_a_room_the_first_role_that_grants_it_is_the_one_named()
    {
        var caller = CallerIdentity.Authenticated("user-1", ["host", "cohost"], null);

        var granted = Policy.Decide(new TokenRequest(Permissions: ["allow_mod"], RoomId: "abcd-efgh-ijkl"), caller);

        Assert.True(granted.Succeeded);
        Assert.Equal(["CallerAuth:Roles:host"], granted.Value.GrantedBy);
    }
}
