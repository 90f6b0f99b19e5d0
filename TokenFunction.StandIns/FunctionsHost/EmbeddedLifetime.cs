using Microsoft.Extensions.Hosting;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// The lifetime of a web server that lives inside another program (the tests, the load run, the host stand-in):
/// Ctrl+C and SIGTERM are that program's to handle. The default console lifetime would take them, keep the process
/// alive and stop only the server; the embedding program stops the server by disposing it.
/// </summary>
public sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
