using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// The host's public side: Kestrel on 127.0.0.1 speaking HTTP/1.1, as the real host listens, so programs
/// outside this process (shell smoke checks, generated clients, load tools) reach the worker. Each request
/// becomes an HttpRequestMessage handed to the same routing, key check and gRPC invocation the in-process
/// client uses, so both paths answer alike.
/// </summary>
internal sealed class HttpFront : IAsyncDisposable
{
    // Framing is Kestrel's job on each side: the body arrives whole and Kestrel writes its own length.
    private static readonly HashSet<string> FramingHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding",
    };

    private readonly WebApplication _app;

    private HttpFront(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:{port}/ — the app's routes are below it ("api/token").</summary>
    public Uri BaseAddress { get; }

    /// <param name="port">0 for a free port.</param>
    public static async Task<HttpFront> StartAsync(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1));

        var app = builder.Build();
        app.Run(context => ForwardAsync(context, send));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HttpFront(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ForwardAsync(HttpContext context, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send)
    {
        using var request = await ToRequestMessageAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        using var response = await send(request, context.RequestAborted).ConfigureAwait(false);

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!FramingHeaders.Contains(name))
            {
                context.Response.Headers.Append(name, values.ToArray());
            }
        }

        var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<HttpRequestMessage> ToRequestMessageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.GetEncodedUrl()));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var hasBody = buffer.Length > 0 || request.ContentLength is not null || request.Headers.TransferEncoding.Count > 0;
        if (hasBody)
        {
            message.Content = new ByteArrayContent(buffer.ToArray());
            if (request.ContentLength is null)
            {
                // Sent chunked: the worker sees no Content-Length, as behind the real host.
                message.Content.Headers.ContentLength = null;
            }
        }

        foreach (var (name, values) in request.Headers)
        {
            if (FramingHeaders.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        return message;
    }
}
