using System.Net;
using System.Text;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenFunction.Functions;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Rooms;

/// <summary>
/// The app over in-memory settings, pointed at a fresh VideoSDK stand-in; one per test. The app's clock is a
/// <see cref="ScheduleClock"/>: the resilience pipeline's timeouts and retry delays run on it, so no timeout fires
/// unless a test moves the clock, however slow the machine, and each call here steps through the retry delays
/// the pipeline arms, by exactly their length.
/// </summary>
public sealed class RoomsTestBed : IAsyncDisposable
{
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan TotalTimeout = AttemptTimeout * 4;

    private RoomsTestBed(VideoSdkApiStandIn videoSdk, TestApp app, ScheduleClock clock)
    {
        VideoSdk = videoSdk;
        App = app;
        Clock = clock;
    }

    public VideoSdkApiStandIn VideoSdk { get; }

    public TestApp App { get; }

    /// <summary>
    /// Starts at the real time, to the second: signed-in callers carry tokens their provider issued on the real clock.
    /// It moves only when a test or a retry delay (<see cref="SendAsync"/>) moves it.
    /// </summary>
    internal ScheduleClock Clock { get; }

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

        var clock = new ScheduleClock(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return new RoomsTestBed(videoSdk, new TestApp(all, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            configure?.Invoke(services);
        }), clock);
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

    public Task<ReadResponse> SendCreateAsync(HttpRequestData request) => SendAsync(StartCreate(request));

    /// <summary>Starts a creation without stepping through retries: for a test that moves the clock itself.</summary>
    public Task<HttpResponseData> StartCreate(HttpRequestData request) =>
        App.InvokeAsync<RoomsFunction>(RoomsFunction.CreateName, request, f => f.CreateAsync(request, CancellationToken.None));

    public Task<ReadResponse> ValidateAsync(string roomId, string method = "GET", string? bearerToken = null) =>
        SendAsync(StartValidate(roomId, method, bearerToken));

    /// <summary>Starts a validation without stepping through retries.</summary>
    public Task<HttpResponseData> StartValidate(string roomId, string method = "GET", string? bearerToken = null)
    {
        var request = FakeHttpRequestData.Create(method, "/api/rooms/" + Uri.EscapeDataString(roomId), headers: Bearer(bearerToken));
        return App.InvokeAsync<RoomsFunction>(RoomsFunction.ValidateName, request, f => f.ValidateAsync(request, roomId, CancellationToken.None));
    }

    /// <summary>
    /// Waits for the call, advancing the clock by each retry delay the pipeline arms meanwhile (shorter than an
    /// attempt's timeout, which is left alone, as is the total one): a retry happens exactly as on a real clock,
    /// without the wait.
    /// </summary>
    private async Task<ReadResponse> SendAsync(Task<HttpResponseData> call)
    {
        using var answered = new CancellationTokenSource();
        while (true)
        {
            var retryDelay = Clock.NextTimerAsync(due => due > TimeSpan.Zero && due < AttemptTimeout, answered.Token);
            if (await Task.WhenAny(call, retryDelay) == call)
            {
                await answered.CancelAsync();
                return Checked(ReadResponse.From(await call));
            }

            Clock.Advance(await retryDelay);
        }
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
