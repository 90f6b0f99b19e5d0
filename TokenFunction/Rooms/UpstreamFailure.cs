using System.Net;
using System.Net.Http.Headers;
using TokenFunction.Problems;

namespace TokenFunction.Rooms;

/// <summary>
/// Turns an unsuccessful VideoSDK answer into the problem our caller gets. The rule: what the caller can fix
/// is a 4xx with VideoSDK's reason; what only the operator or VideoSDK can fix is a 502; never a 500.
/// </summary>
internal static class UpstreamFailure
{
    /// <summary>When VideoSDK says 429 without saying how long to wait.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public static ApiProblem Map(RoomOperation operation, HttpStatusCode status, RetryConditionHeaderValue? retryAfter, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var code = (int)status;
        switch (status)
        {
            // Our own crawler token was refused: the caller did nothing wrong and cannot fix it.
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return new ApiProblem(ErrorCodes.UpstreamCredentialsRejected,
                    $"VideoSDK refused this service's credentials ({code}). The service's VideoSDK API key or secret needs attention; retrying will not help.");

            case HttpStatusCode.TooManyRequests:
                return new ApiProblem(ErrorCodes.UpstreamRateLimited, "VideoSDK is rate-limiting this service; retry after the time in Retry-After.")
                {
                    RetryAfter = RetryDelay(retryAfter, now),
                };

            // Our room id is checked before the call, so a validation VideoSDK refuses with 400 or 404 can
            // only mean the id names no room of this project.
            case HttpStatusCode.NotFound or HttpStatusCode.BadRequest when operation.RoomId is { } roomId:
                return new ApiProblem(ErrorCodes.RoomNotFound, $"No room {Describe.Value(roomId)} exists in this VideoSDK project.");
        }

        if (code is >= 400 and < 500 && status != HttpStatusCode.NotFound)
        {
            var reason = UpstreamMessage.Extract(body) ?? "no reason given";
            return new ApiProblem(ErrorCodes.RoomRequestRejected, $"VideoSDK refused to {operation.Description} ({code}): {reason}");
        }

        return new ApiProblem(ErrorCodes.UpstreamError, $"VideoSDK failed to {operation.Description} (it answered {code}); retry later.");
    }

    public static ApiProblem Timeout(RoomOperation operation, TimeSpan limit) =>
        new(ErrorCodes.UpstreamTimeout, $"VideoSDK did not {operation.Description} within {limit.TotalSeconds:0.#} s; retry later.");

    public static ApiProblem Unreachable(RoomOperation operation) =>
        new(ErrorCodes.UpstreamError, $"VideoSDK could not be reached to {operation.Description}; retry later.");

    public static ApiProblem UnreadableAnswer(RoomOperation operation) =>
        new(ErrorCodes.UpstreamError, $"VideoSDK's answer to {operation.Description} could not be read; retry later.");

    private static TimeSpan RetryDelay(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) =>
        retryAfter switch
        {
            { Delta: { } delta } when delta > TimeSpan.Zero => delta,
            { Date: { } date } when date > now => date - now,
            _ => DefaultRetryAfter,
        };
}

/// <summary>Which call failed, for messages and logs: "create a room" or "validate room 'x'".</summary>
internal sealed record RoomOperation(string Name, string Description, string? RoomId)
{
    public static RoomOperation Create { get; } = new("create", "create a room", null);

    public static RoomOperation Validate(string roomId) => new("validate", "validate the room", roomId);
}
