using Microsoft.Extensions.Hosting;

namespace TokenFunction.Secrets;

/// <summary>Keeps the cached credentials fresh in the background, so a rotation in Key Vault takes effect without a restart.</summary>
internal sealed class KeyVaultRefreshService(KeyVaultCredentialsCache cache, TimeProvider timeProvider) : BackgroundService, IHostedLifecycleService
{
    private Task<bool>? _firstRead;

    /// <summary>
    /// The first read starts before any hosted service starts, the worker's connection to the host included, so it
    /// runs beside that instead of after it; the loop begins by waiting for it.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _firstRead = cache.RefreshAsync();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var refresh = Interlocked.Exchange(ref _firstRead, null) ?? cache.RefreshAsync();
        while (!stoppingToken.IsCancellationRequested)
        {
            await refresh.WaitAsync(stoppingToken);
            await Task.Delay(cache.NextRefreshDelay, timeProvider, stoppingToken);
            refresh = cache.RefreshAsync();
        }
    }
}
