using System.Net;
using System.Net.Http.Headers;
using TokenFunction.Problems;

namespace TokenFunction.Rooms;

/// <summary>
/// Turns an unsuccessful VideoSDK answer (4xx, 5xx) into the problem our caller gets. The rule: what the caller can fix
/// is a 4xx with VideoSDK's reason; what only the operator or VideoSDK can fix is a 502; never a 500.
/// </summary>
internal static class UpstreamFailure
{
    /// <summary>When VideoSDK says 429 without saying how long to wait.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait of VideoSDK's passed on: a longer Retry-After would keep obedient clients away for no known reason.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

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

    /// <summary>The caller learns only that the answer was unusable; what was wrong with it is for the operator's log.</summary>
    public static ApiProblem InvalidAnswer(RoomOperation operation) =>
        new(ErrorCodes.UpstreamInvalidAnswer, $"VideoSDK's answer to {operation.Description} was not usable; retry later.");

    private static TimeSpan RetryDelay(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) =>
        retryAfter switch
        {
            { Delta: { } delta } when delta > TimeSpan.Zero => Min(delta, MaxRetryAfter),
            { Date: { } date } when date > now => Min(date - now, MaxRetryAfter),
            _ => DefaultRetryAfter,
        };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>
/// Which call failed, for messages and logs ("create a room", "validate the room"), and which room it is about: the id
/// validated, or the custom id a room is created with; VideoSDK's answer must name that room.
/// </summary>
internal sealed record RoomOperation(string Name, string Description, string? RoomId, string? CustomRoomId = null)
{
    public static RoomOperation Create(string? customRoomId) => new("create", "create a room", null, customRoomId);

    public static RoomOperation Validate(string roomId) => new("validate", "validate the room", roomId);
}
