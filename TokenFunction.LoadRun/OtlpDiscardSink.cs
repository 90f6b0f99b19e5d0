using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TokenFunction.StandIns.FunctionsHost;

namespace TokenFunction.LoadRun;

/// <summary>
/// An OTLP/gRPC endpoint that accepts every export and keeps nothing: what the worker pays to export, without
/// a receiver's ingestion sharing the machine's cores (in Azure, Application Insights ingests elsewhere).
/// Every OTLP export response is an empty message, so the answer is the same whatever the signal.
/// </summary>
public sealed class OtlpDiscardSink : IAsyncDisposable
{
    // A gRPC message frame: not compressed, length 0 (an empty Export*ServiceResponse).
    private static readonly byte[] EmptyResponseFrame = [0, 0, 0, 0, 0];

    private readonly WebApplication _app;

    private OtlpDiscardSink(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>What OTEL_EXPORTER_OTLP_ENDPOINT is set to, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Endpoint { get; }

    public static async Task<OtlpDiscardSink> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        // OTLP/gRPC over plain HTTP is HTTP/2 with prior knowledge.
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "0");
            await context.Response.Body.WriteAsync(EmptyResponseFrame, context.RequestAborted);
        });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return new OtlpDiscardSink(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(2));
        await _app.DisposeAsync();
    }
}
