using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using TokenFunction.Callers;

namespace TokenFunction.Rooms;

internal static class RoomsServiceCollectionExtensions
{
    /// <summary>Largest VideoSDK answer read; a room is well under 2 KB.</summary>
    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>
    /// Room management (section <c>Rooms</c>, validated at start-up): the creation policy of the caller-authentication
    /// mode (so after <c>AddCallers</c>), the management token,
    /// and the VideoSDK client from IHttpClientFactory with timeouts and retries where a repeat is harmless.
    /// </summary>
    public static IServiceCollection AddRooms(this IServiceCollection services)
    {
        services.AddOptions<RoomsOptions>().BindConfiguration(RoomsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoomsOptions>, RoomsOptionsValidator>();
        services.AddSingleton<IValidateOptions<RoomsOptions>, RoomCreatorsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ManagementTokenSource>();
        services.TryAddSingleton<IRoomCreationPolicy>(sp => sp.GetRequiredService<CallerAuthMode>().CallersSignIn
            ? ActivatorUtilities.CreateInstance<RoleRoomCreationPolicy>(sp)
            : ActivatorUtilities.CreateInstance<SettingRoomCreationPolicy>(sp));

        services.AddHttpClient<VideoSdkRoomsClient>((sp, http) =>
            {
                var rooms = sp.GetRequiredService<IOptions<RoomsOptions>>().Value;
                http.BaseAddress = WithTrailingSlash(rooms.VideoSdkBaseUrl);
                http.MaxResponseContentBufferSize = MaxResponseBytes;
                // The pipeline's total timeout is the real bound; this is only a backstop behind it.
                http.Timeout = rooms.TotalTimeout + TimeSpan.FromSeconds(5);
            })
            // No redirects: a 3xx is an answer like any other (502), so the management token never goes anywhere
            // but Rooms:VideoSdkBaseUrl and nothing is read from an address VideoSDK was not configured at.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<RoomsOptions>>().Value));
        return services;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, RoomsOptions rooms)
    {
        resilience.AttemptTimeout.Timeout = rooms.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = rooms.TotalTimeout;
        // The breaker needs a sampling window of at least twice the attempt timeout.
        resilience.CircuitBreaker.SamplingDuration = Max(resilience.CircuitBreaker.SamplingDuration, rooms.AttemptTimeout * 2);
        resilience.Retry.MaxRetryAttempts = 2;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
        resilience.Retry.ShouldHandle = ShouldRetry;
    }

    /// <summary>
    /// Transient failures (5xx, 408, network errors, attempt timeouts) of requests marked retry-safe. A 429 is
    /// not retried here: VideoSDK's wait can be long, so it goes back to the caller with its Retry-After.
    /// </summary>
    private static ValueTask<bool> ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var retrySafe = args.Context.GetRequestMessage()?.Options.TryGetValue(VideoSdkRoomsClient.RetrySafe, out var safe) == true && safe;
        var transient = HttpClientResiliencePredicates.IsTransient(args.Outcome)
                        && args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests;
        return ValueTask.FromResult(retrySafe && transient);
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
