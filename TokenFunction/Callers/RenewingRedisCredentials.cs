using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StackExchange.Redis.Configuration;

namespace TokenFunction.Callers;

/// <summary>
/// Keeps a Redis credential from <see cref="IRedisCredentialSource"/> current for the multiplexer. StackExchange.Redis
/// reads <see cref="User"/> and <see cref="Password"/> from its options provider at every connection's handshake,
/// so each new connection (a reconnect included) sends AUTH with the credential of that moment; this class renews
/// the credential when three quarters of its life have passed and then re-sends AUTH on the live connections, which
/// Azure Managed Redis otherwise closes when their token expires.
/// </summary>
internal sealed partial class RenewingRedisCredentials : DefaultOptionsProvider, IDisposable
{
    /// <summary>After a failed renewal; the current credential still works until it expires.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(15);

    /// <summary>The shortest wait between two renewals, however close the expiry.</summary>
    public static readonly TimeSpan MinRenewalDelay = TimeSpan.FromSeconds(10);

    private readonly IRedisCredentialSource _source;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private RedisCredential? _current;
    private IConnectionMultiplexer? _multiplexer;
    private bool _failing;

    public RenewingRedisCredentials(IRedisCredentialSource source, TimeProvider timeProvider, ILogger logger)
    {
        _source = source;
        _timeProvider = timeProvider;
        _logger = logger;
        _timer = timeProvider.CreateTimer(_ => _ = RenewOnScheduleAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override string? User => _current?.User;

    public override string? Password => _current?.Password;

    /// <summary>The multiplexer whose live connections get AUTH after each renewal.</summary>
    public void Attach(IConnectionMultiplexer multiplexer) => _multiplexer = multiplexer;

    /// <summary>Gets a credential now and schedules its renewal; on failure, retries on the schedule and returns false.</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        await _renewing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RedisCredential renewed;
            try
            {
                renewed = await _source.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (!_failing)
                {
                    _failing = true;
                    LogRenewalFailed(_source.Description, exception.GetType().Name, _current?.ExpiresOn, RetryDelay);
                }

                Schedule(_timeProvider.GetUtcNow() + RetryDelay);
                return false;
            }

            if (_failing)
            {
                _failing = false;
                LogRenewed(_source.Description, renewed.ExpiresOn);
            }

            _current = renewed;
            var now = _timeProvider.GetUtcNow();
            Schedule(now + TimeSpan.FromTicks(Math.Max(MinRenewalDelay.Ticks, (renewed.ExpiresOn - now).Ticks * 3 / 4)));
            await AuthenticateLiveConnectionsAsync(renewed).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _renewing.Release();
        }
    }

    private void Schedule(DateTimeOffset at)
    {
        _timer.Change(at - _timeProvider.GetUtcNow(), Timeout.InfiniteTimeSpan);
    }

    private async Task RenewOnScheduleAsync()
    {
        try
        {
            await RenewAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The app is stopping: the timer fired as the credentials or the connection went away. Nothing to renew for.
        }
    }

    private async Task AuthenticateLiveConnectionsAsync(RedisCredential credential)
    {
        if (_multiplexer is not { } multiplexer)
        {
            return;
        }

        foreach (var server in multiplexer.GetServers().Where(s => s.IsConnected))
        {
            try
            {
                await server.ExecuteAsync("AUTH", credential.User, credential.Password).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // The connection goes on with its old credential until the server drops it; the reconnect then sends the new one.
                LogReauthenticationFailed(server.EndPoint.ToString() ?? "?", exception.GetType().Name);
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _renewing.Dispose();
    }

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning,
        Message = "The Redis credential ({Source}) could not be renewed ({Failure}); the current one expires at {ExpiresOn}. Retrying every {RetryDelay}")]
    private partial void LogRenewalFailed(string source, string failure, DateTimeOffset? expiresOn, TimeSpan retryDelay);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Information, Message = "The Redis credential ({Source}) is renewed again, until {ExpiresOn}")]
    private partial void LogRenewed(string source, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Warning, Message = "AUTH with the renewed Redis credential failed on the live connection to {EndPoint} ({Failure})")]
    private partial void LogReauthenticationFailed(string endPoint, string failure);
}
