using System.Net;

namespace TokenFunction.Problems;

/// <summary>
/// Every error code the service can answer with. This is the single list: docs/errors.md and the API
/// contract are checked against it, so add new codes here and nowhere else.
/// </summary>
internal static class ErrorCodes
{
    public static readonly ErrorCode MethodNotAllowed =
        new("method_not_allowed", HttpStatusCode.MethodNotAllowed, "Method not allowed");
    public static readonly ErrorCode UnsupportedMediaType =
        new("unsupported_media_type", HttpStatusCode.UnsupportedMediaType, "Unsupported media type");
    public static readonly ErrorCode QueryTooLong =
        new("query_too_long", HttpStatusCode.RequestUriTooLong, "Query string too long");
    public static readonly ErrorCode BodyTooLarge =
        new("body_too_large", HttpStatusCode.RequestEntityTooLarge, "Request body too large");
    public static readonly ErrorCode MalformedJson =
        new("malformed_json", HttpStatusCode.BadRequest, "Malformed JSON");
    public static readonly ErrorCode InvalidFieldType =
        new("invalid_field_type", HttpStatusCode.BadRequest, "A field has the wrong type");
    public static readonly ErrorCode UnknownField =
        new("unknown_field", HttpStatusCode.BadRequest, "Unknown field");
    public static readonly ErrorCode DuplicateField =
        new("duplicate_field", HttpStatusCode.BadRequest, "A field was given more than once");
    public static readonly ErrorCode PermissionsEmpty =
        new("permissions_empty", HttpStatusCode.BadRequest, "Permissions must not be empty");
    public static readonly ErrorCode PermissionUnknown =
        new("permission_unknown", HttpStatusCode.BadRequest, "Unknown permission");
    public static readonly ErrorCode PermissionDuplicate =
        new("permission_duplicate", HttpStatusCode.BadRequest, "Duplicate permission");
    public static readonly ErrorCode PermissionConflict =
        new("permission_conflict", HttpStatusCode.BadRequest, "Conflicting permissions");
    public static readonly ErrorCode TtlOutOfRange =
        new("ttl_out_of_range", HttpStatusCode.BadRequest, "Token lifetime out of range");
    public static readonly ErrorCode RoomIdInvalid =
        new("room_id_invalid", HttpStatusCode.BadRequest, "Invalid room id");
    public static readonly ErrorCode ParticipantIdInvalid =
        new("participant_id_invalid", HttpStatusCode.BadRequest, "Invalid participant id");
    public static readonly ErrorCode PermissionNotAllowed =
        new("permission_not_allowed", HttpStatusCode.Forbidden, "Permission not allowed");
    public static readonly ErrorCode CallerTokenMissing =
        new("caller_token_missing", HttpStatusCode.Unauthorized, "Bearer token required");
    public static readonly ErrorCode CallerTokenInvalid =
        new("caller_token_invalid", HttpStatusCode.Unauthorized, "Bearer token invalid");
    public static readonly ErrorCode CallerAuthorityUnavailable =
        new("caller_authority_unavailable", HttpStatusCode.ServiceUnavailable, "Identity provider unavailable");
    public static readonly ErrorCode ParticipantMismatch =
        new("participant_mismatch", HttpStatusCode.Forbidden, "participantId is not the caller's");
    public static readonly ErrorCode RoomRequired =
        new("room_required", HttpStatusCode.Forbidden, "Permission granted only for a room");
    public static readonly ErrorCode RateLimited =
        new("rate_limited", HttpStatusCode.TooManyRequests, "Too many requests");
    public static readonly ErrorCode SigningCredentialsUnavailable =
        new("signing_credentials_unavailable", HttpStatusCode.ServiceUnavailable, "Signing credentials unavailable");
    public static readonly ErrorCode RoomCreateNotAllowed =
        new("room_create_not_allowed", HttpStatusCode.Forbidden, "Room creation not allowed");
    public static readonly ErrorCode RoomNotFound =
        new("room_not_found", HttpStatusCode.NotFound, "Room not found");

    /// <summary>VideoSDK refused the request as the caller made it (an upstream 4xx other than 401, 403, 404, 429); its message is relayed.</summary>
    public static readonly ErrorCode RoomRequestRejected =
        new("room_request_rejected", HttpStatusCode.BadRequest, "VideoSDK rejected the room request");
    public static readonly ErrorCode UpstreamRateLimited =
        new("upstream_rate_limited", HttpStatusCode.TooManyRequests, "VideoSDK rate limit reached");

    /// <summary>VideoSDK refused this service's own management token (401/403): a server configuration fault, not the caller's.</summary>
    public static readonly ErrorCode UpstreamCredentialsRejected =
        new("upstream_credentials_rejected", HttpStatusCode.BadGateway, "VideoSDK refused this service's credentials");
    public static readonly ErrorCode UpstreamError =
        new("upstream_error", HttpStatusCode.BadGateway, "VideoSDK failed");
    /// <summary>VideoSDK answered, but not with what its API promises (a redirect, a room id outside the rules, another room): nothing of it is relayed.</summary>
    public static readonly ErrorCode UpstreamInvalidAnswer =
        new("upstream_invalid_answer", HttpStatusCode.BadGateway, "VideoSDK's answer was not usable");
    public static readonly ErrorCode UpstreamTimeout =
        new("upstream_timeout", HttpStatusCode.GatewayTimeout, "VideoSDK did not answer in time");

    /// <summary>An unexpected failure inside the service: the body carries only a traceId, the log the cause.</summary>
    public static readonly ErrorCode InternalError =
        new("internal_error", HttpStatusCode.InternalServerError, "Internal error");

    public static IReadOnlyList<ErrorCode> All { get; } =
    [
        MethodNotAllowed, UnsupportedMediaType, QueryTooLong, BodyTooLarge, MalformedJson, InvalidFieldType, UnknownField,
        DuplicateField, PermissionsEmpty, PermissionUnknown, PermissionDuplicate, PermissionConflict,
        TtlOutOfRange, RoomIdInvalid, ParticipantIdInvalid, PermissionNotAllowed, CallerTokenMissing,
        CallerTokenInvalid, CallerAuthorityUnavailable, ParticipantMismatch, RoomRequired, RateLimited,
        SigningCredentialsUnavailable,
        RoomCreateNotAllowed, RoomNotFound, RoomRequestRejected, UpstreamRateLimited, UpstreamCredentialsRejected,
        UpstreamError, UpstreamInvalidAnswer, UpstreamTimeout, InternalError,
    ];
}
