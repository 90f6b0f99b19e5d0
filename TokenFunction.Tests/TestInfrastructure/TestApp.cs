using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenFunction.Functions;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// The app's own service registrations over in-memory settings, with every log line captured, and its invocation
/// pipeline: the middleware <c>UseTokenFunctionMiddleware</c> registers, run in process around a function.
/// </summary>
public sealed class TestApp : IDisposable
{
    public const string ApiKey = "test-api-key-7f3a";
    public const string ApiSecret = "test-api-secret-9b1e-do-not-leak";

    private readonly ServiceProvider _services;
    private readonly FunctionExecutionDelegate _pipeline;

    public TestApp(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["VideoSdk:ApiKey"] = ApiKey,
                ["VideoSdk:ApiSecret"] = ApiSecret,
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        // What Program does, in its order: the services, then the middleware on the worker's builder.
        services.AddTokenFunction(configuration);
        var worker = new RecordingWorkerBuilder(services);
        worker.UseTokenFunctionMiddleware();
        // After the app's registrations, so a test's replacement is the one resolved.
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _pipeline = worker.Build(InvocationContext.RunFunctionAsync);
    }

    /// <summary>
    /// <paramref name="settings"/> with a rate limit no generated corpus reaches: a corpus sends hundreds of requests
    /// from one anonymous address, and refused ones are charged to it too.
    /// </summary>
    public static Dictionary<string, string?> UnlimitedRate(IDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>()) { ["RateLimit:Burst"] = "100000", ["RateLimit:TokensPerPeriod"] = "100000" };

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// Invokes the function <paramref name="functionName"/> of <typeparamref name="TFunction"/> with
    /// <paramref name="request"/> as the worker does: in a service scope of its own, through the app's middleware;
    /// at the end of the pipeline the function is activated from that scope and <paramref name="run"/> calls it.
    /// </summary>
    public async Task<HttpResponseData> InvokeAsync<TFunction>(string functionName, HttpRequestData request, Func<TFunction, Task<HttpResponseData>> run)
    {
        var context = request.FunctionContext as InvocationContext
                      ?? throw new ArgumentException("Build the request with FakeHttpRequestData: it carries the invocation's context.", nameof(request));
        await using var scope = _services.CreateAsyncScope();
        context.Begin(InProcessFunctionDefinition.Of<TFunction>(functionName), scope.ServiceProvider,
            invocation => run(ActivatorUtilities.CreateInstance<TFunction>(invocation.InstanceServices)));
        await _pipeline(context);
        return context.GetInvocationResult().Value as HttpResponseData
               ?? throw new InvalidOperationException($"The invocation of {functionName} ended without an HTTP response.");
    }

    public Task<HttpResponseData> CallHealthAsync(string method = "GET")
    {
        var request = FakeHttpRequestData.Create(method, "/api/health");
        return InvokeAsync<HealthFunction>(HealthFunction.Name, request, f => f.RunAsync(request));
    }

    public string AllLogText => string.Join("\n", Get<FakeLogCollector>().GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));

    public IReadOnlyList<FakeLogRecord> Logs => Get<FakeLogCollector>().GetSnapshot();

    public void Dispose() => _services.Dispose();
}
