namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// A worker refreshing from the vault as often as the app allows, so a rotation is picked up within seconds. Each
/// rotation story takes it as its own class fixture, so each gets a worker and a vault of its own to rotate.
/// </summary>
public sealed class FastRefreshVaultWorker : VaultModeWorker
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);

    protected override TimeSpan? RefreshInterval => Refresh;

    protected override void PrepareVault() => PutNewCredentials();
}
