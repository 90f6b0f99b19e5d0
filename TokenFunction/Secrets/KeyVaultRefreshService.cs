using Microsoft.Extensions.Hosting;

namespace TokenFunction.Secrets;

/// <summary>Keeps the cached credentials fresh in the background, so a rotation in Key Vault takes effect without a restart.</summary>
internal sealed class KeyVaultRefreshService(KeyVaultCredentialsCache cache, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await cache.RefreshAsync().WaitAsync(stoppingToken);
            await Task.Delay(cache.NextRefreshDelay, timeProvider, stoppingToken);
        }
    }
}
