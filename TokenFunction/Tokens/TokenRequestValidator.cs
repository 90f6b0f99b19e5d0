using TokenFunction.Problems;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tokens;

/// <summary>
/// Checks that a request is well-formed, whoever sends it. What a caller is <em>entitled</em> to is
/// the policy's business (<see cref="TokenPolicy"/>), answered with 403 rather than 400.
/// </summary>
public sealed class TokenRequestValidator
{
    private readonly int _maxTtlSeconds;

    public TokenRequestValidator(Microsoft.Extensions.Options.IOptions<TokenPolicyOptions> options)
    {
        _maxTtlSeconds = options.Value.MaxTtlSeconds;
    }

    public IReadOnlyList<FieldError> Validate(TokenRequest request)
    {
        var errors = new List<FieldError>();

        if (request.Permissions is { } permissions)
        {
            errors.AddRange(PermissionSetRules.Check(permissions)
                .Select(e => new FieldError(TokenRequestFields.Permissions, e.Error.Code, e.Detail)));
        }

        errors.AddRange(new[]
        {
            Identifiers.RoomId.Check(TokenRequestFields.RoomId, request.RoomId),
            Identifiers.ParticipantId.Check(TokenRequestFields.ParticipantId, request.ParticipantId),
        }.OfType<FieldError>());

        if (request.TtlSeconds is { } ttl && (ttl < TokenPolicyOptions.MinTtlSeconds || ttl > _maxTtlSeconds))
        {
            errors.Add(new FieldError(TokenRequestFields.TtlSeconds, ErrorCodes.TtlOutOfRange.Code,
                $"ttlSeconds must be an integer from {TokenPolicyOptions.MinTtlSeconds} to {_maxTtlSeconds}; got {ttl}."));
        }

        return errors;
    }
}
