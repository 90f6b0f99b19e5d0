using StackExchange.Redis;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// A real redis-server for a test class (IClassFixture) or a single test (<see cref="StartAsync"/>), with an
/// administrator's connection to look inside it. Tests that share one must use bucket prefixes of their own.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime, IAsyncDisposable
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _admin;

    public RedisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public IDatabase Database => Admin.GetDatabase();

    public ConnectionMultiplexer Admin => _admin ?? throw new InvalidOperationException("Not started.");

    public IServer AdminServer => Admin.GetServer(Server.Host, Server.Port);

    private string? _defaultUserPassword;

    /// <param name="defaultUserPassword">See <see cref="RedisServer.StartAsync"/>: set it where a failed AUTH must leave a connection with nothing.</param>
    public static async Task<RedisFixture> StartAsync(string? defaultUserPassword = null)
    {
        var fixture = new RedisFixture { _defaultUserPassword = defaultUserPassword };
        await fixture.InitializeAsync();
        return fixture;
    }

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync(_defaultUserPassword);
        _admin = await ConnectionMultiplexer.ConnectAsync(_server.AdminConfiguration);
    }

    /// <summary>The settings that point the app at this server (plain TCP is allowed on loopback only).</summary>
    public Dictionary<string, string?> Settings(string keyPrefix) => new()
    {
        ["RateLimit:Redis:Host"] = Server.Host,
        ["RateLimit:Redis:Port"] = Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit:Redis:UseTls"] = "false",
        ["RateLimit:Redis:KeySecret"] = KeySecret,
        ["RateLimit:Redis:KeyPrefix"] = keyPrefix,
        // Generous: these tests count exactly, and a loaded machine must not push a check into the fallback.
        ["RateLimit:Redis:CheckTimeout"] = "00:00:01",
        ["RateLimit:Redis:RetryInterval"] = "00:00:01",
    };

    public const string KeySecret = "test-rate-limit-key-secret-4c1d9e0b7a";

    /// <summary>Every key of the server, as text.</summary>
    public IReadOnlyList<string> Keys() => [.. AdminServer.Keys(pattern: "*").Select(k => k.ToString())];

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
