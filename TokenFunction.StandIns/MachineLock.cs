namespace TokenFunction.StandIns;

/// <summary>
/// A lock shared by every process on the machine: an exclusive lock on a file in the temporary folder (on Linux
/// an advisory <c>flock</c>, which the kernel releases when the holder exits, even by a crash). One file per name.
/// </summary>
public sealed class MachineLock : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _file;

    private MachineLock(FileStream file) => _file = file;

    /// <summary>Waits until no other holder of <paramref name="name"/> is left, at most <paramref name="timeout"/>.</summary>
    public static async Task<MachineLock> AcquireAsync(string name, TimeSpan timeout)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tokenfunction-locks"));
        var path = Path.Combine(folder.FullName, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..32] + ".lock");
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                return new MachineLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(PollInterval).ConfigureAwait(false);
            }
            catch (IOException busy)
            {
                throw new TimeoutException($"Another process held the lock for '{name}' ({path}) longer than {timeout}.", busy);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
