using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using TokenFunction.Functions;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Functions;

/// <summary>An exception inside a function reaches the caller as a 500 problem with a traceId, and the log as one Error line with its cause.</summary>
public sealed class ExceptionHandlingTests
{
    private const string Cause = "vault client exploded: secret=should-never-be-echoed";

    [Fact]
    public async Task An_exception_inside_the_token_function_becomes_a_500_internal_error_problem_and_one_error_log_line()
    {
        using var app = new TestApp(configure: services =>
        {
            var provider = new Mock<ISigningCredentialsProvider>();
            provider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException(Cause));
            services.AddSingleton(provider.Object);
        });
        var request = FakeHttpRequestData.Json("{}");

        var response = ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request,
            f => f.RunAsync(request, CancellationToken.None)));

        response.AssertProblem(HttpStatusCode.InternalServerError, "internal_error");
        Assert.Equal(request.FunctionContext.InvocationId, response.Json.GetProperty("traceId").GetString());
        Assert.DoesNotContain("exploded", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("should-never-be-echoed", response.Body, StringComparison.Ordinal);
        var errors = app.Logs.Where(log => log.Level >= LogLevel.Error).ToArray();
        var error = Assert.Single(errors);
        Assert.Equal(Cause, Assert.IsType<InvalidOperationException>(error.Exception).Message);
        Assert.Contains(request.FunctionContext.InvocationId, error.Message, StringComparison.Ordinal);
        Assert.Contains(IssueTokenFunction.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_inside_the_health_function_also_becomes_a_500_internal_error_problem()
    {
        using var app = new TestApp(configure: services =>
        {
            var provider = new Mock<ISigningCredentialsProvider>();
            provider.Setup(p => p.GetHealth()).Throws(new InvalidOperationException(Cause));
            services.AddSingleton(provider.Object);
        });

        var response = ReadResponse.From(await app.CallHealthAsync());

        response.AssertProblem(HttpStatusCode.InternalServerError, "internal_error");
        Assert.DoesNotContain("exploded", response.Body, StringComparison.Ordinal);
    }
}
