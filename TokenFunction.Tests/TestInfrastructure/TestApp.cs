using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

using TokenFunction.Functions;
using TokenFunction.Functions.Middleware;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>The app's own service registrations over in-memory settings, with every log line captured.</summary>
public sealed class TestApp : IDisposable
{
    public const string ApiKey = "test-api-key-7f3a";
    public const string ApiSecret = "test-api-secret-9b1e-do-not-leak";

    private readonly ServiceProvider _services;

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
        services.AddTokenFunction(configuration);
        // After the app's registrations, so a test's replacement is the one resolved.
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>
    /// <paramref name="settings"/> with a rate limit no generated corpus reaches: a corpus sends hundreds of requests
    /// from one anonymous address, and refused ones are charged to it too.
    /// </summary>
    public static Dictionary<string, string?> UnlimitedRate(IDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>()) { ["RateLimit:Burst"] = "100000", ["RateLimit:TokensPerPeriod"] = "100000" };

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>The app's container, as the worker hands it to an invocation (<c>FunctionContext.InstanceServices</c>).</summary>
    public IServiceProvider Services => _services;

    /// <summary>Functions are not registered in DI: the worker activates them with their dependencies, as here.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    /// <summary>
    /// Calls a function's method behind the app's middleware, in the order <c>UseTokenFunctionMiddleware</c> gives
    /// them in Program: the catch-all outermost, then caller admission for the functions it applies to. The
    /// function is activated inside the pipeline, as the worker does.
    /// </summary>
    public Task<HttpResponseData> InvokeAsync<TFunction>(string functionName, HttpRequestData request, Func<TFunction, Task<HttpResponseData>> run)
    {
        var exceptions = ActivatorUtilities.CreateInstance<ExceptionHandlingMiddleware>(_services);
        var admission = ActivatorUtilities.CreateInstance<CallerAdmissionMiddleware>(_services);
        return exceptions.RunAsync(request, functionName, () => CallerAdmissionMiddleware.Applies(functionName)
            ? admission.RunAsync(request, () => run(Function<TFunction>()), CancellationToken.None)
            : run(Function<TFunction>()));
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
