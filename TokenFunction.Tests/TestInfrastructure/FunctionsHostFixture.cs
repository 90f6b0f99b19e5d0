
namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// One real worker process for a whole test class (use with IClassFixture): starting one costs
/// about two seconds, so tests share it and must not depend on each other's requests.
/// </summary>
public abstract class FunctionsHostFixture : IAsyncLifetime
{
    private FunctionsHost? _host;
    private HttpClient? _client;

    public FunctionsHost Host => _host ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A client for the app's routes (http://localhost/api/...); no function key attached.</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>
    /// The host's HTTP/1.1 front on loopback (http://127.0.0.1:{port}/), for callers in other processes
    /// (shell, Node, load tools) or an HttpClient over real TCP.
    /// </summary>
    public Uri BaseAddress => Host.BaseAddress;

    public async Task InitializeAsync()
    {
        var options = await CreateOptionsAsync().ConfigureAwait(false);
        _host = await FunctionsHost.StartAsync(options).ConfigureAwait(false);
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        await DisposeDependenciesAsync().ConfigureAwait(false);
    }

    /// <summary>A request to <paramref name="path"/> carrying the function key, as a caller with the key sends it.</summary>
    public HttpRequestMessage WithFunctionKey(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(HostKeys.HeaderName, Host.Keys.FunctionKey);
        return request;
    }

    protected abstract Task<FunctionsHostOptions> CreateOptionsAsync();

    /// <summary>Stand-ins the worker talks to; stopped after the worker.</summary>
    protected virtual Task DisposeDependenciesAsync() => Task.CompletedTask;
}
