using System.Net;
using Microsoft.Extensions.Options;
using TokenFunction.Rooms;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Rooms;

/// <summary>
/// The room routes in bearer mode: callers are admitted through the same gate as the token endpoint, and only
/// holders of a Rooms:CreatorRoles role may create rooms. Callers' tokens from the real OpenID provider.
/// </summary>
[Trait("Category", OpenIdProviderFixture.Category)]
public sealed class SignedInRoomCallersTests(OpenIdProviderFixture provider) : IClassFixture<OpenIdProviderFixture>
{
    private const string Room = "abcd-efgh-ijkl";

    [Fact]
    public async Task A_caller_holding_a_creator_role_creates_a_room()
    {
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider);

        var created = await bed.CreateAsync("""{"customRoomId":"by-host"}""", await provider.GetTokenAsync(ProviderClients.Host));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Single(bed.VideoSdk.Requests, r => r.Method == "POST");
    }

    public static TheoryData<string> CallersWithoutCreatorRole => new() { ProviderClients.Alice.Id, ProviderClients.Viewer.Id, ProviderClients.UpperCaseHost.Id };

    [Theory]
    [MemberData(nameof(CallersWithoutCreatorRole))]
    public async Task A_caller_without_a_creator_role_gets_403_and_VideoSDK_is_never_called(string clientId)
    {
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider);

        var refused = await bed.CreateAsync("""{"customRoomId":"by-guest"}""", await provider.GetTokenAsync(ProviderClients.ById(clientId)));

        var problem = refused.AssertProblem(HttpStatusCode.Forbidden, "room_create_not_allowed");
        Assert.Contains($"caller '{clientId}'", problem.GetProperty("detail").GetString());
        Assert.Empty(bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task Without_a_bearer_token_both_routes_answer_401_with_a_challenge_and_VideoSDK_is_never_called()
    {
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider);
        bed.VideoSdk.AddRoom(Room);

        var create = await bed.CreateAsync();
        var validate = await bed.ValidateAsync(Room);

        create.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_missing");
        validate.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_missing");
        Assert.Equal("Bearer", validate.Header("WWW-Authenticate"));
        Assert.Empty(bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task Any_signed_in_caller_may_validate_a_room()
    {
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider);
        bed.VideoSdk.AddRoom(Room);

        Assert.Equal(HttpStatusCode.OK, (await bed.ValidateAsync(Room, bearerToken: await provider.GetTokenAsync(ProviderClients.Bob))).Status);
    }

    [Fact]
    public async Task The_rate_limit_applies_to_room_calls()
    {
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider, new Dictionary<string, string?>
        {
            ["RateLimit:Burst"] = "1",
            ["RateLimit:TokensPerPeriod"] = "1",
        });
        var host = await provider.GetTokenAsync(ProviderClients.Host);

        Assert.Equal(HttpStatusCode.Created, (await bed.CreateAsync(bearerToken: host)).Status);
        var limited = await bed.CreateAsync(bearerToken: host);

        limited.AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Header("Retry-After"));
        Assert.Single(bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task Rooms_AllowCreate_is_refused_at_start_up_when_callers_sign_in()
    {
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider, new Dictionary<string, string?> { ["Rooms:AllowCreate"] = "true" });

        var failure = Assert.Throws<OptionsValidationException>(() => bed.App.Get<IOptions<RoomsOptions>>().Value);

        Assert.Contains("Rooms:AllowCreate", failure.Message);
        Assert.Contains("Rooms:CreatorRoles", failure.Message);
    }

    [Fact]
    public async Task A_blank_creator_role_is_refused_at_start_up_when_callers_sign_in()
    {
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider, new Dictionary<string, string?> { ["Rooms:CreatorRoles:1"] = " " });

        var failure = Assert.Throws<OptionsValidationException>(() => bed.App.Get<IOptions<RoomsOptions>>().Value);

        Assert.Equal("Rooms:CreatorRoles must not contain empty roles.", Assert.Single(failure.Failures));
    }

    [Fact]
    public void Rooms_CreatorRoles_is_refused_at_start_up_in_anonymous_mode()
    {
        using var app = new TestApp(new Dictionary<string, string?> { ["Rooms:CreatorRoles:0"] = "host" });

        var failure = Assert.Throws<OptionsValidationException>(() => app.Get<IOptions<RoomsOptions>>().Value);

        Assert.Contains("Rooms:CreatorRoles needs CallerAuth:Authority", failure.Message);
    }
}
