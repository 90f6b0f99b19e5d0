using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace TokenFunction.Callers;

/// <summary>
/// The process's one Redis multiplexer, for the shared rate limit. It connects in the background from start-up
/// (a request never waits for more than its check's bound) and keeps reconnecting by itself; while it is not
/// connected, commands fail at once instead of queueing, so the limiter falls back without waiting.
/// </summary>
internal sealed class SharedRateLimitConnection : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly RenewingRedisCredentials? _credentials;
    private readonly Lazy<Task<IConnectionMultiplexer>> _connected;

    /// <param name="credentials">For a credential that expires (Entra tokens); null when the configuration holds a fixed one or none.</param>
    public SharedRateLimitConnection(ConfigurationOptions configuration, RenewingRedisCredentials? credentials)
    {
        _configuration = configuration;
        _credentials = credentials;
        if (credentials is not null)
        {
            _configuration.Defaults = credentials;
        }

        _connected = new(ConnectAsync);
    }

    /// <summary>The multiplexer once it exists (connected or still trying).</summary>
    public Task<IConnectionMultiplexer> Connected => _connected.Value;

    /// <summary>What StackExchange.Redis needs for this use: fail fast, never give up reconnecting, bounded commands.</summary>
    public static ConfigurationOptions Configure(SharedRateLimitOptions options)
    {
        var configuration = new ConfigurationOptions
        {
            EndPoints = { { options.Host!, options.Port } },
            Ssl = options.UseTls,
            // Start even while Redis is unreachable, and keep trying in the background.
            AbortOnConnectFail = false,
            // A command while disconnected fails at once (the limiter falls back) instead of waiting in a backlog.
            BacklogPolicy = BacklogPolicy.FailFast,
            // Its own bound for a command the limiter stopped waiting for; the limiter's is CheckTimeout.
            AsyncTimeout = 1000,
            SyncTimeout = 1000,
            ClientName = "token-function",
        };
        if (options.Authentication == SharedRateLimitAuthentication.Password)
        {
            configuration.User = string.IsNullOrEmpty(options.User) ? null : options.User;
            configuration.Password = options.Password;
        }

        return configuration;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Connected;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        if (_credentials is not null)
        {
            // Without a credential the handshake fails and the limiter falls back; the renewal keeps trying and the
            // multiplexer's reconnects pick the credential up once there is one.
            await _credentials.RenewAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        _credentials?.Attach(multiplexer);
        return multiplexer;
    }

    // The credentials first: a renewal must not start on a connection being disposed.
    public async ValueTask DisposeAsync()
    {
        _credentials?.Dispose();
        if (await CreatedAsync().ConfigureAwait(false) is { } multiplexer)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _credentials?.Dispose();
        if (CreatedAsync().GetAwaiter().GetResult() is { } multiplexer)
        {
            multiplexer.Dispose();
        }
    }

    private async Task<IConnectionMultiplexer?> CreatedAsync()
    {
        if (!_connected.IsValueCreated)
        {
            return null;
        }

        try
        {
            return await _connected.Value.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or InvalidOperationException)
        {
            // Never created: nothing to close.
            return null;
        }
    }
}
