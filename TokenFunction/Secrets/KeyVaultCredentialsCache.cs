using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunction.Telemetry;
using TokenFunction.VideoSdk;

namespace TokenFunction.Secrets;

/// <summary>
/// The signing credentials read from Key Vault, held in memory. Requests read the cached value; the vault
/// is read by <see cref="KeyVaultRefreshService"/> on a schedule, and once on demand before the first
/// load, with every concurrent caller sharing that one fetch.
/// </summary>
internal sealed partial class KeyVaultCredentialsCache : ISigningCredentialsProvider
{
    public const string SourceName = "keyVault";

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly KeyVaultCredentialsLoader _loader;
    private readonly KeyVaultOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ServiceMetrics _metrics;
    private readonly ILogger<KeyVaultCredentialsCache> _logger;
    private readonly Lock _gate = new();
    private LoadedCredentials? _current;
    private Task<bool>? _inFlight;
    private bool _attempted;
    private int _consecutiveFailures;

    public KeyVaultCredentialsCache(
        KeyVaultCredentialsLoader loader,
        IOptions<KeyVaultOptions> options,
        TimeProvider timeProvider,
        ServiceMetrics metrics,
        ILogger<KeyVaultCredentialsCache> logger)
    {
        _loader = loader;
        _options = options.Value;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        metrics.ObserveSigningCredentialsAge(() => Volatile.Read(ref _current) is { } current ? timeProvider.GetUtcNow() - current.LoadedAt : null);
        metrics.ObserveSigningCredentialsTimeToExpiry(() =>
            Volatile.Read(ref _current) is { ExpiresOn: { } expiresOn } ? expiresOn - timeProvider.GetUtcNow() : null);
    }

    /// <summary>What requests sign with, since when, and until when Key Vault says it is meant to be used (reported, not enforced).</summary>
    private sealed record LoadedCredentials(SigningCredentials Credentials, DateTimeOffset LoadedAt, DateTimeOffset? ExpiresOn);

    /// <summary>How long the refresh loop waits before the next read: the interval, or a back-off after failures.</summary>
    public TimeSpan NextRefreshDelay
    {
        get
        {
            var failures = Volatile.Read(ref _consecutiveFailures);
            if (failures == 0)
            {
                return _options.RefreshInterval;
            }

            var backOff = FirstRetryDelay * Math.Pow(2, Math.Min(failures - 1, 16));
            return new[] { backOff, MaxRetryDelay, _options.RefreshInterval }.Min();
        }
    }

    public async ValueTask<CredentialsLookup> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null)
        {
            return IsTooStale(current)
                ? CredentialsLookup.Unavailable(
                    $"The signing secret could not be refreshed for longer than {_options.MaxStaleness}.", RetryAfter())
                : CredentialsLookup.Available(current.Credentials);
        }

        var firstLoad = FirstLoadToJoin();
        if (firstLoad is null)
        {
            return CredentialsLookup.Unavailable("The signing secret has not been loaded from Key Vault yet.", RetryAfter());
        }

        await firstLoad.WaitAsync(cancellationToken);
        current = Volatile.Read(ref _current);
        return current is null
            ? CredentialsLookup.Unavailable("The signing secret could not be loaded from Key Vault.", RetryAfter())
            : CredentialsLookup.Available(current.Credentials);
    }

    /// <summary>Reads the vault now, or joins the read already under way. True when credentials were loaded.</summary>
    public Task<bool> RefreshAsync()
    {
        lock (_gate)
        {
            return _inFlight ?? StartRefreshLocked();
        }
    }

    public CredentialsHealth GetHealth() =>
        Volatile.Read(ref _current) is { } current
            ? new CredentialsHealth(!IsTooStale(current), SourceName, current.LoadedAt)
            : new CredentialsHealth(false, SourceName, null);

    /// <summary>The read under way, or the first one started now; null once a first read has failed (the schedule retries).</summary>
    private Task<bool>? FirstLoadToJoin()
    {
        lock (_gate)
        {
            return _inFlight ?? (_attempted ? null : StartRefreshLocked());
        }
    }

    private Task<bool> StartRefreshLocked()
    {
        _attempted = true;
        // RunRefreshAsync yields before its first line of work, so its own clean-up of _inFlight
        // (which needs _gate) cannot run before this assignment.
        return _inFlight = RunRefreshAsync();
    }

    private async Task<bool> RunRefreshAsync()
    {
        await Task.Yield();
        // A root span of its own (no request is waiting on a scheduled refresh) for the Key Vault SDK's spans to nest in.
        using var activity = ServiceActivities.Source.StartActivity(ServiceActivities.RefreshSigningCredentials);
        try
        {
            var (credentials, expiresOn) = await _loader.LoadAsync();
            var previous = Volatile.Read(ref _current);
            Volatile.Write(ref _current, new LoadedCredentials(credentials, _timeProvider.GetUtcNow(), expiresOn));
            var failuresBefore = Interlocked.Exchange(ref _consecutiveFailures, 0);
            if (failuresBefore > 0)
            {
                LogRecovered(failuresBefore);
            }

            if (previous is null)
            {
                LogLoaded(credentials.Version);
            }
            else if (previous.Credentials.Version != credentials.Version)
            {
                LogRotated(previous.Credentials.Version, credentials.Version);
            }

            return true;
        }
#pragma warning disable CA1031 // Every failure is reported and retried on schedule; none may escape into the host.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var failures = Interlocked.Increment(ref _consecutiveFailures);
            var description = KeyVaultFailure.Describe(exception);
            _metrics.KeyVaultRefreshFailed(KeyVaultFailure.Classify(exception));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, description);
            LogRefreshFailed(failures, description, NextRefreshDelay);
            return false;
        }
        finally
        {
            lock (_gate)
            {
                _inFlight = null;
            }
        }
    }

    private bool IsTooStale(LoadedCredentials current) => _timeProvider.GetUtcNow() - current.LoadedAt > _options.MaxStaleness;

    /// <summary>When the vault is read next; the Retry-After header's own 1 s floor is the writer's (ApiResponses).</summary>
    private TimeSpan RetryAfter() => NextRefreshDelay;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "VideoSDK signing credentials loaded from Key Vault (secret version {SecretVersion})")]
    private partial void LogLoaded(string? secretVersion);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "VideoSDK signing secret rotated from version {PreviousVersion} to {SecretVersion}")]
    private partial void LogRotated(string? previousVersion, string? secretVersion);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information,
        Message = "Key Vault read again after {ConsecutiveFailures} failed attempts: signing credentials are current")]
    private partial void LogRecovered(int consecutiveFailures);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Key Vault read failed ({ConsecutiveFailures} in a row): {Failure} Next attempt in {RetryDelay}")]
    private partial void LogRefreshFailed(int consecutiveFailures, string failure, TimeSpan retryDelay);
}
