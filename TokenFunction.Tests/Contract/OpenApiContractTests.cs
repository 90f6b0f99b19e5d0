using System.Net;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using TokenFunction.Functions;
using TokenFunction.Http;
using TokenFunction.Secrets;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.Rooms;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.Problems;

namespace TokenFunction.Tests.Contract;

/// <summary>
/// openapi/openapi.yaml against the code, both ways: the error catalogue, the functions' routes, methods and
/// key requirements, and every documented status produced for real by a scenario below.
/// </summary>
public sealed class OpenApiContractTests
{
    private static readonly PublishedContract Contract = PublishedContract.Load();

    [Fact]
    public void The_ErrorCode_enum_lists_exactly_the_catalogue() =>
        Assert.Equal(ErrorCodes.All.Select(e => e.Code).Order(), Contract.ErrorCodeEnum.Order());

    [Fact]
    public void Every_catalogued_code_is_documented_on_a_response_with_its_status()
    {
        var undocumented = ErrorCodes.All
            .Where(error => !Contract.Responses.Any(r => r.Status == error.Status && r.ErrorCodes.Contains(error.Code)))
            .Select(error => $"{error.Code} ({(int)error.Status})");

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Every_documented_code_exists_in_the_catalogue_with_the_status_it_is_documented_under()
    {
        var wrong = from response in Contract.Responses
                    from code in response.ErrorCodes
                    let error = ErrorCodes.All.SingleOrDefault(e => e.Code == code)
                    where error is null || error.Status != response.Status
                    select $"{response.Key}: {code}";

        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_function_has_its_path_and_every_path_a_function()
    {
        Assert.Equal(
            HttpFunctionSurface.All.Select(f => f.Path).Order(StringComparer.Ordinal),
            Contract.Document.Paths.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Documented_methods_are_ones_the_function_accepts_and_key_requirements_match_the_auth_level()
    {
        foreach (var (path, method, operation) in Contract.Operations)
        {
            var function = HttpFunctionSurface.All.Single(f => f.Path == path);
            Assert.True(function.Methods is null || function.Methods.Contains(method), $"{method} {path} is not accepted by {function.Name}");
            Assert.True(function.AuthLevel != AuthorizationLevel.Anonymous == Contract.RequiresFunctionKey(operation),
                $"{method} {path}: documented key requirement does not match {function.Name}'s auth level {function.AuthLevel}");
        }
    }

    [Fact]
    public void Platform_answers_are_documented_only_where_the_host_gives_them()
    {
        // The host answers 401 for a missing or wrong key before the app runs (shown by the end-to-end tests).
        foreach (var response in Contract.Responses.Where(r => r.ProducedByPlatform))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.NotEqual(AuthorizationLevel.Anonymous, HttpFunctionSurface.All.Single(f => f.Path == response.Path).AuthLevel);
        }

        var keyed = Contract.Operations.Where(op => Contract.RequiresFunctionKey(op.Operation)).Select(op => $"{op.Method} {op.Path} 401");
        Assert.Equal(keyed.Order(), Contract.Responses.Where(r => r.ProducedByPlatform).Select(r => r.Key).Order());
    }

    [Fact]
    public void Every_documented_app_response_has_a_scenario_and_every_scenario_is_documented() =>
        Assert.Equal(
            Contract.Responses.Where(r => !r.ProducedByPlatform).Select(r => r.Key).Order(StringComparer.Ordinal),
            Scenarios.Keys.Order(StringComparer.Ordinal));

    public static TheoryData<string> ScenarioKeys => new(Scenarios.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ScenarioKeys))]
    public async Task Each_documented_response_is_produced_with_a_documented_code(string key)
    {
        var documented = Contract.Responses.Single(r => r.Key == key);

        var response = await Scenarios[key]();

        Assert.Equal(documented.Status, response.Status);
        if (documented.ErrorCodes.Count > 0)
        {
            var code = response.Json.GetProperty("code").GetString();
            Assert.Contains(code, documented.ErrorCodes);
            response.AssertProblem(documented.Status, code!);
        }
    }

    // ---- the scenarios: one real request per documented (method, path, status) ----

    private const string Room = "abcd-efgh-ijkl";

    private static readonly Dictionary<string, string?> OneRequestPerPeriod = new()
    {
        ["RateLimit:Burst"] = "1",
        ["RateLimit:TokensPerPeriod"] = "1",
    };

    private static readonly Dictionary<string, Func<Task<ReadResponse>>> Scenarios = new()
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
        ["POST /token 415"] = () => Token(FakeHttpRequestData.Json("{}", contentType: "text/plain")),
        ["POST /token 429"] = () => SecondRequest(OneRequestPerPeriod, app => Token(app, FakeHttpRequestData.Json("{}"))),
        ["POST /token 503"] = () => Token(FakeHttpRequestData.Json("{}"), WithoutCredentials),
        ["POST /token 500"] = () => Token(FakeHttpRequestData.Json("{}"), Failing),
        ["GET /token 500"] = () => Token(FakeHttpRequestData.Create("GET"), Failing),
        ["GET /health 500"] = () => Health(Failing),
        ["POST /rooms 500"] = () => Rooms(bed => bed.CreateAsync(), configure: Failing),
        ["GET /rooms/{roomId} 500"] = () => Rooms(bed => bed.ValidateAsync(Room), configure: Failing),
        ["GET /health 200"] = () => Health(),
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
        ["POST /rooms 504"] = () => Rooms(bed => bed.CreateAsync(), reply: new(HttpStatusCode.OK, Delay: TimeSpan.FromSeconds(30))),
        ["GET /rooms/{roomId} 200"] = () => Rooms(bed => { bed.VideoSdk.AddRoom(Room); return bed.ValidateAsync(Room); }),
        ["GET /rooms/{roomId} 400"] = () => Rooms(bed => bed.ValidateAsync("a b")),
        ["GET /rooms/{roomId} 401"] = () => SignedInRooms(bed => bed.ValidateAsync(Room, bearerToken: "not-a-jwt")),
        ["GET /rooms/{roomId} 404"] = () => Rooms(bed => bed.ValidateAsync(Room)),
        ["GET /rooms/{roomId} 405"] = () => Rooms(bed => bed.ValidateAsync(Room, method: "PUT")),
        ["GET /rooms/{roomId} 429"] = () => Rooms(bed => bed.ValidateAsync(Room), reply: new(HttpStatusCode.TooManyRequests)),
        ["GET /rooms/{roomId} 502"] = () => Rooms(bed => bed.ValidateAsync(Room), reply: new(HttpStatusCode.Unauthorized)),
        ["GET /rooms/{roomId} 503"] = () => Rooms(bed => bed.ValidateAsync(Room), configure: WithoutCredentials),
        ["GET /rooms/{roomId} 504"] = () => Rooms(bed => bed.ValidateAsync(Room), reply: new(HttpStatusCode.OK, Delay: TimeSpan.FromSeconds(30))),
    };

    private static void WithoutCredentials(IServiceCollection services)
    {
        var provider = new Mock<ISigningCredentialsProvider>();
        provider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(CredentialsLookup.Unavailable("Key Vault is unreachable.", TimeSpan.FromSeconds(5)));
        provider.Setup(p => p.GetHealth()).Returns(new CredentialsHealth(false, "keyVault", null, "Key Vault is unreachable."));
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
    private static async Task<ReadResponse> AsCaller(Func<OpenIdProviderStandIn, CallerTestApp, Task<ReadResponse>> send)
    {
        await using var provider = await OpenIdProviderStandIn.StartAsync();
        using var app = new CallerTestApp(provider);
        return await send(provider, app);
    }

    /// <summary>The same request twice from the same (anonymous) caller: the first must pass, the second is the answer.</summary>
    private static async Task<ReadResponse> SecondRequest(Dictionary<string, string?> settings, Func<TestApp, Task<ReadResponse>> send)
    {
        using var app = new TestApp(settings);
        Assert.True((await send(app)).Status < HttpStatusCode.BadRequest, "the first request should pass the rate limit");
        return await send(app);
    }

    private static async Task<ReadResponse> Health(Action<IServiceCollection>? configure = null)
    {
        using var app = new TestApp(configure: configure);
        return ReadResponse.From(await app.CallHealthAsync());
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
