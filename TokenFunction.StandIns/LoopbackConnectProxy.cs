using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TokenFunction.StandIns;

/// <summary>
/// An HTTPS proxy (HTTP CONNECT tunnels) that resolves <c>localhost</c> and every <c>*.localhost</c> name to
/// 127.0.0.1 and refuses everything else. It exists because the Key Vault SDK requires the vault's host
/// to be a subdomain of the challenge resource's host (vault.localhost under localhost), and neither
/// glibc nor .NET resolves *.localhost here. TLS stays end to end: the client still validates the
/// stand-in's certificate for the name it asked for. In-process, set it as the handler's proxy; for a
/// child process, set HTTPS_PROXY to <see cref="Address"/> (plain-http managed identity is not proxied).
/// </summary>
public sealed class LoopbackConnectProxy : IAsyncDisposable
{
    private const int MaxRequestHead = 8 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _tunnels;
    private int _refusals;

    private LoopbackConnectProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>For example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Tunnels opened.</summary>
    public int TunnelCount => Volatile.Read(ref _tunnels);

    /// <summary>Requests refused: not CONNECT, or a host outside *.localhost.</summary>
    public int RefusalCount => Volatile.Read(ref _refusals);

    public static LoopbackConnectProxy Start() => new();

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var downstream = client.GetStream();
            try
            {
                var port = await ReadConnectTargetAsync(downstream);
                if (port is null)
                {
                    Interlocked.Increment(ref _refusals);
                    await downstream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stopping.Token);
                    return;
                }

                using var upstreamClient = new TcpClient();
                await upstreamClient.ConnectAsync(IPAddress.Loopback, port.Value, _stopping.Token);
                var upstream = upstreamClient.GetStream();
                await downstream.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stopping.Token);
                Interlocked.Increment(ref _tunnels);

                // Either side closing ends the tunnel.
                await Task.WhenAny(
                    downstream.CopyToAsync(upstream, _stopping.Token),
                    upstream.CopyToAsync(downstream, _stopping.Token));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A peer went away or the proxy is stopping: the client sees the connection close, as with a real proxy.
            }
        }
    }

    /// <summary>Reads "CONNECT host:port HTTP/1.1" and its headers; the port when the host is a *.localhost name, else null.</summary>
    private async Task<int?> ReadConnectTargetAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (head.Length < MaxRequestHead && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            // Byte by byte, so nothing after the head (the TLS client hello) is consumed here.
            if (await stream.ReadAsync(buffer, _stopping.Token) == 0)
            {
                return null;
            }

            head.Append((char)buffer[0]);
        }

        var requestLine = head.ToString().Split("\r\n")[0].Split(' ');
        if (requestLine is not ["CONNECT", var authority, _] || !Uri.TryCreate($"tcp://{authority}", UriKind.Absolute, out var target))
        {
            return null;
        }

        var isLocalhostName = target.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                              || target.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return isLocalhostName && target.Port > 0 ? target.Port : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _listener.Dispose();
        _stopping.Dispose();
    }
}
