using System.Net;
using System.Text;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using TokenFunction.Functions;
using TokenFunction.Http;
using TokenFunction.Secrets;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.Rooms;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Contract;

/// <summary>
/// Real requests to the app (in process), one for each documented answer: by response (method, path, status) and
/// by error code. The contract tests compare what they produce with what openapi.yaml says and shows.
/// </summary>
internal static class ContractScenarios
{
    public const string Room = "abcd-efgh-ijkl";

    /// <summary>The body of the <c>issueToken</c> request example.</summary>
    public const string TokenRequestExample = "{\"roomId\":\"abcd-efgh-ijkl\",\"participantId\":\"user-42\",\"ttlSeconds\":3600,\"permissions\":[\"allow_join\"]}";

    /// <summary>The body of the <c>createRoom</c> request example.</summary>
    public const string CreateRoomRequestExample =
        "{\"customRoomId\":\"team-standup\",\"webhook\":{\"endPoint\":\"https://hooks.contoso.test/videosdk\",\"events\":[\"session-started\",\"session-ended\"]},\"autoCloseConfig\":{\"type\":\"session-end-and-deactivate\",\"duration\":60}}";

    private static readonly Dictionary<string, string?> OneRequestPerPeriod = new()
    {
        ["RateLimit:Burst"] = "1",
        ["RateLimit:TokensPerPeriod"] = "1",
    };

    public static readonly IReadOnlyDictionary<string, Func<Task<ReadResponse>>> ByResponse = new Dictionary<string, Func<Task<ReadResponse>>>
    {
        ["GET /token 200"] = () => Token(FakeHttpRequestData.Create("GET")),
        ["GET /token 400"] = () => Token(FakeHttpRequestData.Create("GET", "/api/token?ttlSeconds=1")),
        ["GET /token 401"] = () => AsCaller((_, app) => app.SendAsync(FakeHttpRequestData.Create("GET"))),
        ["GET /token 403"] = () => Token(FakeHttpRequestData.Create("GET", "/api/token?permissions=allow_mod")),
        ["GET /token 405"] = () => Token(FakeHttpRequestData.Create("PUT")),
        ["GET /token 429"] = () => SecondRequest(OneRequestPerPeriod, app => Token(app, FakeHttpRequestData.Create("GET"))),
        ["GET /token 503"] = () => AsCaller((provider, app) =>
        {
            var token = provider.IssueToken();
            provider.Available = false;
            return app.SendAsync(FakeHttpRequestData.Create("GET", headers: [CallerTestApp.Bearer(token)]));
        }),
        ["POST /token 200"] = () => Token(FakeHttpRequestData.Json("{}")),
        ["POST /token 400"] = () => Token(FakeHttpRequestData.Json("{\"roomId\":\"a b\"}")),
        ["POST /token 401"] = () => AsCaller((_, app) => app.PostAsync("not-a-jwt")),
        ["POST /token 403"] = () => AsCaller((provider, app) => app.PostAsync(provider.IssueToken("alice"), "{\"participantId\":\"bob\"}")),
        ["POST /token 405"] = () => Token(FakeHttpRequestData.Create("DELETE")),
        ["POST /token 413"] = () => Token(TooLarge()),
        ["POST /token 414"] = () => Token(LongQuery("POST")),
        ["GET /token 414"] = () => Token(LongQuery("GET")),
        ["POST /token 415"] = () => Token(FakeHttpRequestData.Json("{}", contentType: "text/plain")),
        ["POST /token 429"] = () => SecondRequest(OneRequestPerPeriod, app => Token(app, FakeHttpRequestData.Json("{}"))),
        ["POST /token 503"] = () => Token(FakeHttpRequestData.Json("{}"), WithoutCredentials),
        ["POST /token 500"] = () => Token(FakeHttpRequestData.Json("{}"), Failing),
        ["GET /token 500"] = () => Token(FakeHttpRequestData.Create("GET"), Failing),
        ["GET /health 500"] = () => Health(Failing),
        ["POST /rooms 500"] = () => Rooms(bed => bed.CreateAsync(), configure: Failing),
        ["GET /rooms/{roomId} 500"] = () => Rooms(bed => bed.ValidateAsync(Room), configure: Failing),
        ["GET /health 200"] = () => Health(),
        ["GET /health 405"] = () => Health(method: "POST"),
        ["GET /health 503"] = () => Health(WithoutCredentials),
        ["POST /rooms 201"] = () => Rooms(bed => bed.CreateAsync()),
        ["POST /rooms 400"] = () => Rooms(bed => bed.CreateAsync("{\"customRoomId\":\"a b\"}")),
        ["POST /rooms 401"] = () => SignedInRooms(bed => bed.CreateAsync()),
        ["POST /rooms 403"] = () => Rooms(bed => bed.CreateAsync(), new() { ["Rooms:AllowCreate"] = "false" }),
        ["POST /rooms 405"] = () => Rooms(bed => bed.SendCreateAsync(FakeHttpRequestData.Create("PATCH", "/api/rooms"))),
        ["POST /rooms 413"] = () => Rooms(bed => bed.SendCreateAsync(TooLarge())),
        ["POST /rooms 415"] = () => Rooms(bed => bed.SendCreateAsync(FakeHttpRequestData.Json("{}", contentType: "text/plain"))),
        ["POST /rooms 429"] = () => Rooms(bed => bed.CreateAsync(), reply: new(HttpStatusCode.TooManyRequests, RetryAfter: "3")),
        ["POST /rooms 502"] = () => Rooms(bed => bed.CreateAsync(), reply: new(HttpStatusCode.Unauthorized)),
        ["POST /rooms 503"] = () => Rooms(bed => bed.CreateAsync(), configure: WithoutCredentials),
        ["POST /rooms 504"] = () => Rooms(bed => TimedOutAsync(bed, bed.StartCreate(FakeHttpRequestData.Create("POST", "/api/rooms"))), reply: NoAnswer),
        ["GET /rooms/{roomId} 200"] = () => Rooms(bed => { bed.VideoSdk.AddRoom(Room); return bed.ValidateAsync(Room); }),
        ["GET /rooms/{roomId} 400"] = () => Rooms(bed => bed.ValidateAsync("a b")),
        ["GET /rooms/{roomId} 401"] = () => SignedInRooms(bed => bed.ValidateAsync(Room, bearerToken: "not-a-jwt")),
        ["GET /rooms/{roomId} 404"] = () => Rooms(bed => bed.ValidateAsync(Room)),
        ["GET /rooms/{roomId} 405"] = () => Rooms(bed => bed.ValidateAsync(Room, method: "PUT")),
        ["GET /rooms/{roomId} 429"] = () => Rooms(bed => bed.ValidateAsync(Room), reply: new(HttpStatusCode.TooManyRequests)),
        ["GET /rooms/{roomId} 502"] = () => Rooms(bed => bed.ValidateAsync(Room), reply: new(HttpStatusCode.Unauthorized)),
        ["GET /rooms/{roomId} 503"] = () => Rooms(bed => bed.ValidateAsync(Room), configure: WithoutCredentials),
        ["GET /rooms/{roomId} 504"] = () => Rooms(bed => TimedOutAsync(bed, bed.StartValidate(Room)), reply: NoAnswer),
    };

    /// <summary>The request behind each named example in components/examples.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Task<ReadResponse>>> ByExample = new Dictionary<string, Func<Task<ReadResponse>>>
    {
        ["RoomToken"] = () => Token(FakeHttpRequestData.Json(TokenRequestExample)),
        ["CreatedRoom"] = () => Rooms(bed => bed.CreateAsync(CreateRoomRequestExample)),
        ["ExistingRoom"] = ByResponse["GET /rooms/{roomId} 200"],
        ["Healthy"] = ByResponse["GET /health 200"],
        ["Unhealthy"] = ByResponse["GET /health 503"],
        ["method_not_allowed"] = ByResponse["GET /token 405"],
        ["unsupported_media_type"] = ByResponse["POST /token 415"],
        ["body_too_large"] = ByResponse["POST /token 413"],
        ["query_too_long"] = ByResponse["GET /token 414"],
        ["malformed_json"] = () => Token(FakeHttpRequestData.Json("{\"roomId\":")),
        ["invalid_field_type"] = () => Token(FakeHttpRequestData.Json("{\"ttlSeconds\":\"3600\"}")),
        ["unknown_field"] = () => Token(FakeHttpRequestData.Json("{\"room\":\"abcd-efgh-ijkl\"}")),
        ["duplicate_field"] = () => Token(FakeHttpRequestData.Json("{\"roomId\":\"abcd-efgh-ijkl\",\"roomId\":\"wxyz\"}")),
        ["permissions_empty"] = () => Token(FakeHttpRequestData.Json("{\"permissions\":[]}")),
        ["permission_unknown"] = () => Token(FakeHttpRequestData.Json("{\"permissions\":[\"allow_everything\"]}")),
        ["permission_duplicate"] = () => Token(FakeHttpRequestData.Json("{\"permissions\":[\"allow_join\",\"allow_join\"]}")),
        ["permission_conflict"] = () => Token(FakeHttpRequestData.Json("{\"permissions\":[\"ask_join\",\"allow_join\"]}")),
        ["ttl_out_of_range"] = ByResponse["GET /token 400"],
        ["room_id_invalid"] = ByResponse["POST /token 400"],
        ["participant_id_invalid"] = () => Token(FakeHttpRequestData.Json("{\"participantId\":\"user 42\"}")),
        ["permission_not_allowed"] = ByResponse["GET /token 403"],
        ["participant_mismatch"] = ByResponse["POST /token 403"],
        ["room_required"] = RoomRequired,
        ["caller_token_missing"] = ByResponse["GET /token 401"],
        ["caller_token_invalid"] = ByResponse["POST /token 401"],
        ["caller_authority_unavailable"] = ByResponse["GET /token 503"],
        ["rate_limited"] = ByResponse["POST /token 429"],
        ["signing_credentials_unavailable"] = ByResponse["POST /token 503"],
        ["room_create_not_allowed"] = ByResponse["POST /rooms 403"],
        ["room_not_found"] = ByResponse["GET /rooms/{roomId} 404"],
        ["room_request_rejected"] = () => Rooms(bed => bed.CreateAsync(),
            reply: new(HttpStatusCode.BadRequest, "{\"statusCode\":400,\"error\":\"Invalid autoCloseConfig type\"}")),
        ["upstream_rate_limited"] = ByResponse["POST /rooms 429"],
        ["upstream_credentials_rejected"] = ByResponse["POST /rooms 502"],
        ["upstream_error"] = () => Rooms(bed => bed.ValidateAsync(Room), reply: new(HttpStatusCode.InternalServerError)),
        ["upstream_invalid_answer"] = () => Rooms(bed => bed.ValidateAsync(Room), reply: new(HttpStatusCode.OK, "{\"roomId\":\"abcd\\r\\nx\"}")),
        ["upstream_timeout"] = ByResponse["POST /rooms 504"],
        ["internal_error"] = ByResponse["POST /token 500"],
    };

    private static void WithoutCredentials(IServiceCollection services)
    {
        var provider = new Mock<ISigningCredentialsProvider>();
        provider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(CredentialsLookup.Unavailable("Key Vault is unreachable.", TimeSpan.FromSeconds(5)));
        provider.Setup(p => p.GetHealth()).Returns(new CredentialsHealth(false, "keyVault", null));
        services.AddSingleton(provider.Object);
    }

    /// <summary>Every credentials lookup throws: the unexpected failure the catch-all middleware answers.</summary>
    private static void Failing(IServiceCollection services)
    {
        var provider = new Mock<ISigningCredentialsProvider>();
        provider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("broken on purpose"));
        provider.Setup(p => p.GetHealth()).Throws(new InvalidOperationException("broken on purpose"));
        services.AddSingleton(provider.Object);
    }

    private static FakeHttpRequestData LongQuery(string method) =>
        FakeHttpRequestData.Create(method, "/api/token?roomId=" + new string('a', HttpLimits.MaxQueryLength), "{}"u8.ToArray(),
            [new("Content-Type", "application/json")]);

    private static FakeHttpRequestData TooLarge() =>
        FakeHttpRequestData.Create("POST", body: Encoding.UTF8.GetBytes(new string(' ', HttpLimits.MaxBodyBytes + 1)),
            headers: [new("Content-Type", "application/json")]);

    private static async Task<ReadResponse> Token(HttpRequestData request, Action<IServiceCollection>? configure = null)
    {
        using var app = new TestApp(configure: configure);
        return await Token(app, request);
    }

    private static async Task<ReadResponse> Token(TestApp app, HttpRequestData request) =>
        ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    /// <summary>In bearer mode, against the loopback OpenID provider stand-in.</summary>
    private static async Task<ReadResponse> AsCaller(
        Func<OpenIdProviderStandIn, CallerTestApp, Task<ReadResponse>> send, Dictionary<string, string?>? settings = null)
    {
        await using var provider = await OpenIdProviderStandIn.StartAsync();
        using var app = new CallerTestApp(provider, settings);
        return await send(provider, app);
    }

    /// <summary>A caller whose role grants allow_mod only in a room asks for it without one; a role claim needs the real provider.</summary>
    private static async Task<ReadResponse> RoomRequired()
    {
        await using var provider = await OpenIdProviderFixture.StartAsync();
        using var app = new CallerTestApp(provider, new Dictionary<string, string?> { ["CallerAuth:Roles:moderator:RequireRoom"] = "true" });
        return await app.PostAsync(await provider.GetTokenAsync(ProviderClients.Moderator), "{\"permissions\":[\"allow_mod\"]}");
    }

    /// <summary>The same request twice from the same (anonymous) caller: the first must pass, the second is the answer.</summary>
    private static async Task<ReadResponse> SecondRequest(Dictionary<string, string?> settings, Func<TestApp, Task<ReadResponse>> send)
    {
        using var app = new TestApp(settings);
        Assert.True((await send(app)).Status < HttpStatusCode.BadRequest, "the first request should pass the rate limit");
        return await send(app);
    }

    private static async Task<ReadResponse> Health(Action<IServiceCollection>? configure = null, string method = "GET")
    {
        using var app = new TestApp(configure: configure);
        return ReadResponse.From(await app.CallHealthAsync(method));
    }

    private static readonly StandInReply NoAnswer = new(HttpStatusCode.OK, Delay: Timeout.InfiniteTimeSpan);

    /// <summary>VideoSDK never answers; the app's timeouts run out on the bed's clock, moved past the total bound.</summary>
    private static async Task<ReadResponse> TimedOutAsync(RoomsTestBed bed, Task<HttpResponseData> call)
    {
        await bed.VideoSdk.NextRequestAsync();
        bed.Clock.Advance(RoomsTestBed.TotalTimeout);
        return ReadResponse.From(await call);
    }

    private static async Task<ReadResponse> Rooms(
        Func<RoomsTestBed, Task<ReadResponse>> send, Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null, StandInReply? reply = null)
    {
        await using var bed = await RoomsTestBed.StartAsync(settings, configure);
        if (reply is not null)
        {
            bed.VideoSdk.Reply = _ => reply;
        }

        return await send(bed);
    }

    private static async Task<ReadResponse> SignedInRooms(Func<RoomsTestBed, Task<ReadResponse>> send)
    {
        await using var provider = await OpenIdProviderStandIn.StartAsync();
        await using var bed = await RoomsTestBed.StartSignedInAsync(provider);
        return await send(bed);
    }
}
