using System.Net;
using System.Text;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenFunction.Functions;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Rooms;

/// <summary>The app over in-memory settings, pointed at a fresh VideoSDK stand-in; one per test.</summary>
public sealed class RoomsTestBed : IAsyncDisposable
{
    /// <summary>Short enough for a timeout test to take about a second, long enough for a loaded 2-core machine.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Room for three attempts and the retry delays between them, even when the machine is busy.</summary>
    public static readonly TimeSpan TotalTimeout = AttemptTimeout * 4;

    private RoomsTestBed(VideoSdkApiStandIn videoSdk, TestApp app)
    {
        VideoSdk = videoSdk;
        App = app;
    }

    public VideoSdkApiStandIn VideoSdk { get; }

    public TestApp App { get; }

    public static async Task<RoomsTestBed> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var videoSdk = await VideoSdkApiStandIn.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Rooms:VideoSdkBaseUrl"] = videoSdk.BaseUrl.ToString(),
            ["Rooms:AllowCreate"] = "true",
            ["Rooms:AttemptTimeout"] = AttemptTimeout.ToString(),
            ["Rooms:TotalTimeout"] = TotalTimeout.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new RoomsTestBed(videoSdk, new TestApp(all, configure));
    }

    /// <summary>
    /// Bearer mode against <paramref name="provider"/>, where holders of <see cref="CreatorRole"/> may create rooms
    /// (<c>Rooms:AllowCreate</c> belongs to anonymous mode, so it is unset here).
    /// </summary>
    public static Task<RoomsTestBed> StartSignedInAsync(ITestOpenIdProvider provider, IDictionary<string, string?>? settings = null)
    {
        var all = CallerTestApp.AuthoritySettings(provider);
        all["Rooms:AllowCreate"] = null;
        all["Rooms:CreatorRoles:0"] = CreatorRole;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return StartAsync(all, services => CallerTestApp.TrustAuthority(services, provider));
    }

    public const string CreatorRole = "host";

    public async Task<ReadResponse> CreateAsync(string? json = null, string? bearerToken = null)
    {
        var headers = new List<KeyValuePair<string, string>>(Bearer(bearerToken));
        if (json is not null)
        {
            headers.Add(new("Content-Type", "application/json"));
        }

        return await SendCreateAsync(FakeHttpRequestData.Create("POST", "/api/rooms", json is null ? null : Encoding.UTF8.GetBytes(json), headers));
    }

    public async Task<ReadResponse> SendCreateAsync(HttpRequestData request) =>
        Checked(ReadResponse.From(await App.InvokeAsync<RoomsFunction>(RoomsFunction.CreateName, request, f => f.CreateAsync(request, CancellationToken.None))));

    public async Task<ReadResponse> ValidateAsync(string roomId, string method = "GET", string? bearerToken = null)
    {
        var request = FakeHttpRequestData.Create(method, "/api/rooms/" + Uri.EscapeDataString(roomId), headers: Bearer(bearerToken));
        return Checked(ReadResponse.From(await App.InvokeAsync<RoomsFunction>(RoomsFunction.ValidateName, request,
            f => f.ValidateAsync(request, roomId, CancellationToken.None))));
    }

    private static KeyValuePair<string, string>[] Bearer(string? token) => token is null ? [] : [CallerTestApp.Bearer(token)];

    /// <summary>Every answer, and the log so far, is checked for every management token VideoSDK has seen.</summary>
    private ReadResponse Checked(ReadResponse response)
    {
        foreach (var token in VideoSdk.Requests.Select(r => r.Authorization).OfType<string>().Distinct())
        {
            Assert.DoesNotContain(token, response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(response.Headers.Values, value => value.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(token, App.AllLogText, StringComparison.Ordinal);
            // The signature alone would also be a leak of something only the secret can make.
            Assert.DoesNotContain(token.Split('.')[2], App.AllLogText + response.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(TestApp.ApiSecret, App.AllLogText + response.Body, StringComparison.Ordinal);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await VideoSdk.DisposeAsync();
    }
}
