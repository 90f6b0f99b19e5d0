using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ExecutionRejectedException = Polly.ExecutionRejectedException;
using Polly.Timeout;
using TokenFunction.Problems;
using TokenFunction.Telemetry;

namespace TokenFunction.Rooms;

/// <summary>
/// The typed HttpClient for VideoSDK's room API. Timeouts and retries come from the resilience pipeline
/// registered with it (<see cref="RoomsServiceCollectionExtensions"/>); this class marks which requests are
/// safe to retry and maps every outcome to a room or a problem.
/// </summary>
public sealed partial class VideoSdkRoomsClient(
    HttpClient http,
    ManagementTokenSource tokens,
    IOptions<RoomsOptions> options,
    TimeProvider timeProvider,
    ServiceMetrics metrics,
    ILogger<VideoSdkRoomsClient> logger)
{
    /// <summary>Set on requests that may be sent twice with the same effect; the retry strategy reads it.</summary>
    public static readonly HttpRequestOptionsKey<bool> RetrySafe = new("TokenFunction.Rooms.RetrySafe");

    /// <summary><c>POST /v2/rooms</c>.</summary>
    public Task<Outcome<Room>> CreateAsync(CreateRoomRequest request, CancellationToken cancellationToken)
    {
        var body = new VideoSdkCreateRoomBody(request.CustomRoomId, request.Webhook, request.AutoCloseConfig);
        var message = new HttpRequestMessage(HttpMethod.Post, "v2/rooms")
        {
            Content = JsonContent.Create(body, VideoSdkJsonContext.Default.VideoSdkCreateRoomBody),
        };
        // VideoSDK answers a repeated customRoomId with the existing room, so only then is a retry harmless;
        // without one, a retry after a lost answer would create a second room.
        message.Options.Set(RetrySafe, request.CustomRoomId is not null);
        return SendAsync(message, RoomOperation.Create(request.CustomRoomId), cancellationToken);
    }

    /// <summary><c>GET /v2/rooms/validate/{roomId}</c>; the id must already satisfy <see cref="VideoSdk.Identifiers.RoomId"/>.</summary>
    public Task<Outcome<Room>> ValidateAsync(string roomId, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, $"v2/rooms/validate/{Uri.EscapeDataString(roomId)}");
        message.Options.Set(RetrySafe, true);
        message.Options.Set(ServiceActivities.UrlTemplate, "v2/rooms/validate/{roomId}");
        return SendAsync(message, RoomOperation.Validate(roomId), cancellationToken);
    }

    private async Task<Outcome<Room>> SendAsync(HttpRequestMessage message, RoomOperation operation, CancellationToken cancellationToken)
    {
        using var _ = message;
        var token = await tokens.GetAsync(cancellationToken);
        if (!token.Succeeded)
        {
            return token.Problem;
        }

        // VideoSDK expects the raw JWT, with no "Bearer" scheme.
        message.Headers.TryAddWithoutValidation("Authorization", token.Value.Token);

        var started = Stopwatch.GetTimestamp();
        var outcome = await ExchangeAsync(message, operation, cancellationToken);
        metrics.VideoSdkCalled(operation.Name, started, outcome.Problem?.Error.Code);
        if (outcome.Succeeded)
        {
            LogSucceeded(operation.Name, outcome.Value.RoomId);
        }
        else
        {
            LogFailed(operation.Name, outcome.Problem.Error.Code, outcome.Problem.Detail);
        }

        return outcome;
    }

    private async Task<Outcome<Room>> ExchangeAsync(HttpRequestMessage message, RoomOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            // Redirects are not followed (the client is made so: the management token goes to Rooms:VideoSdkBaseUrl
            // and nowhere else), and VideoSDK's API sends none: nothing such an answer says is relayed.
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                LogInvalidAnswer(operation.Name, $"it answered {(int)response.StatusCode}, a redirect, which is not followed");
                return UpstreamFailure.InvalidAnswer(operation);
            }

            if (!response.IsSuccessStatusCode)
            {
                return UpstreamFailure.Map(operation, response.StatusCode, response.Headers.RetryAfter, body, timeProvider.GetUtcNow());
            }

            if (VideoSdkAnswer.ReadRoom(body, operation, out var violation) is { } room)
            {
                return room;
            }

            LogInvalidAnswer(operation.Name, violation);
            return UpstreamFailure.InvalidAnswer(operation);
        }
        catch (TimeoutRejectedException)
        {
            return UpstreamFailure.Timeout(operation, options.Value.TotalTimeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, the last line behind the pipeline's.
            return UpstreamFailure.Timeout(operation, http.Timeout);
        }
        // ExecutionRejectedException covers every other refusal of the resilience pipeline (open circuit, its concurrency limiter).
        catch (Exception exception) when (exception is HttpRequestException or ExecutionRejectedException)
        {
            return UpstreamFailure.Unreachable(operation);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "VideoSDK room {Operation} succeeded for room {RoomId}")]
    private partial void LogSucceeded(string operation, string roomId);

    // Debug: during a VideoSDK outage this would be a line per request; Refusals reports the outage in a few lines.
    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "VideoSDK room {Operation} failed with {ErrorCode}: {Detail}")]
    private partial void LogFailed(string operation, string errorCode, string detail);

    // A warning: VideoSDK's API never answers like this on its own; a proxy, a misrouted base URL or an attack is behind it.
    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "VideoSDK's answer to room {Operation} was refused: {Violation}")]
    private partial void LogInvalidAnswer(string operation, string violation);
}
