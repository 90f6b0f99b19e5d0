using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TokenFunction.StandIns.FunctionsHost;

namespace TokenFunction.StandIns;

/// <summary>
/// A bare Kestrel on 127.0.0.1 and a free port, running one request handler: no routing, no logging,
/// no configuration files, so it starts in tens of milliseconds and says nothing unless asked.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>For example <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <param name="tlsCertificate">Serve HTTPS with this certificate; null serves plain HTTP.</param>
    public static async Task<LoopbackServer> StartAsync(X509Certificate2? tlsCertificate, RequestDelegate handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (tlsCertificate is not null)
                {
                    listen.UseHttps(tlsCertificate);
                }
            }));

        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        // Kestrel reports the port it bound; make the authority exactly 127.0.0.1 so it matches the certificate's SAN.
        var port = new Uri(address).Port;
        var scheme = tlsCertificate is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new LoopbackServer(app, new Uri($"{scheme}://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(2));
        await _app.DisposeAsync();
    }
}
