using System.Net;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using TokenFunction.Callers;
using TokenFunction.Functions;
using TokenFunction.Functions.Middleware;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Functions;

/// <summary>
/// A function declares on itself whether its caller is admitted first ([AdmitCaller]); the pipeline reads the
/// declaration from the function's entry point, and the function reads whom it admitted as a value it is given.
/// </summary>
public sealed class CallerAdmissionTests : IDisposable
{
    // Bearer mode with an authority nobody is asked: a request without a token is refused before any fetch.
    private readonly TestApp _bearer = new(new Dictionary<string, string?>
    {
        ["CallerAuth:Authority"] = "https://login.example.test/tenant/v2.0",
        ["CallerAuth:Audiences:0"] = "api://token-function",
    });

    public void Dispose() => _bearer.Dispose();

    [Fact]
    public async Task The_token_and_rooms_functions_admit_their_caller_first_and_health_stays_open()
    {
        var token = FakeHttpRequestData.Create("GET");
        var create = FakeHttpRequestData.Create("POST", "/api/rooms");
        var validate = FakeHttpRequestData.Create("GET", "/api/rooms/abcd-efgh-ijkl");

        ReadResponse[] refused =
        [
            ReadResponse.From(await _bearer.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, token, f => f.RunAsync(token, CancellationToken.None))),
            ReadResponse.From(await _bearer.InvokeAsync<RoomsFunction>(RoomsFunction.CreateName, create, f => f.CreateAsync(create, CancellationToken.None))),
            ReadResponse.From(await _bearer.InvokeAsync<RoomsFunction>(RoomsFunction.ValidateName, validate,
                f => f.ValidateAsync(validate, "abcd-efgh-ijkl", CancellationToken.None))),
        ];

        Assert.All(refused, response => response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_missing"));
        Assert.Equal(HttpStatusCode.OK, ReadResponse.From(await _bearer.CallHealthAsync()).Status);
    }

    [Fact]
    public void Exactly_the_caller_facing_functions_declare_admission()
    {
        var declared = typeof(IssueTokenFunction).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods())
            .Where(method => method.IsDefined(typeof(FunctionAttribute)))
            .ToDictionary(method => method.GetCustomAttribute<FunctionAttribute>()!.Name, method => AdmissionDeclarations.DeclaredBy(Definition(method)));

        Assert.Equal(new Dictionary<string, bool>
        {
            [IssueTokenFunction.Name] = true,
            [RoomsFunction.CreateName] = true,
            [RoomsFunction.ValidateName] = true,
            [HealthFunction.Name] = false,
        }, declared);
    }

    [Fact]
    public void The_declaration_is_read_once_per_function_and_then_answered_by_its_id()
    {
        var declarations = new AdmissionDeclarations();
        var token = typeof(IssueTokenFunction).GetMethod(nameof(IssueTokenFunction.RunAsync))!;
        var health = typeof(HealthFunction).GetMethod(nameof(HealthFunction.RunAsync))!;

        Assert.True(declarations.Declared(Context(Definition(token, id: "f-1"))));
        // The same id again, though its entry point now names the health function: the first reading stands.
        Assert.True(declarations.Declared(Context(Definition(health, id: "f-1"))));
        Assert.False(declarations.Declared(Context(Definition(health, id: "f-2"))));
    }

    [Fact]
    public void An_entry_point_naming_no_method_of_the_app_fails_loudly()
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("Ghost");
        definition.SetupGet(d => d.EntryPoint).Returns("TokenFunction.Functions.GhostFunction.RunAsync");

        var failure = Assert.Throws<InvalidOperationException>(() => AdmissionDeclarations.DeclaredBy(definition.Object));

        Assert.Contains("Ghost", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TokenFunction.Functions.GhostFunction.RunAsync", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_that_reads_its_caller_without_declaring_admission_fails_instead_of_serving_nobody()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new AdmittedCaller().Identity);

        Assert.Contains(nameof(AdmitCallerAttribute), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admission_runs_inside_the_catch_all_so_its_own_failure_is_a_500_problem_with_the_invocation_s_trace_id()
    {
        var authenticator = new Mock<ICallerAuthenticator>();
        authenticator.Setup(a => a.AuthenticateAsync(It.IsAny<Microsoft.Azure.Functions.Worker.Http.HttpHeadersCollection>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("the authenticator broke"));
        using var app = new TestApp(configure: services => services.AddSingleton(authenticator.Object));
        var request = FakeHttpRequestData.Create("GET");

        var response = ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

        response.AssertProblem(HttpStatusCode.InternalServerError, "internal_error");
        Assert.Equal(request.FunctionContext.InvocationId, response.Json.GetProperty("traceId").GetString());
        Assert.Equal("the authenticator broke", Assert.Single(app.Logs, log => log.Level == LogLevel.Error).Exception?.Message);
    }

    private static FunctionDefinition Definition(MethodInfo method, string? id = null)
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Id).Returns(id ?? method.Name);
        definition.SetupGet(d => d.Name).Returns(method.GetCustomAttribute<FunctionAttribute>()!.Name);
        definition.SetupGet(d => d.EntryPoint).Returns($"{method.DeclaringType!.FullName}.{method.Name}");
        return definition.Object;
    }

    private static FunctionContext Context(FunctionDefinition definition)
    {
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition);
        return context.Object;
    }
}
