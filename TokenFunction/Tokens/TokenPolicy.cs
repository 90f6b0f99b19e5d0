using Microsoft.Extensions.Options;
using TokenFunction.Http;

namespace TokenFunction.Tokens;

/// <summary>Fills a valid request from configured defaults and refuses anything beyond the allow-list.</summary>
public sealed class TokenPolicy(IOptions<TokenPolicyOptions> options)
{
    private readonly TokenPolicyOptions _options = options.Value;

    public Outcome<TokenGrant> Decide(TokenRequest request)
    {
        IReadOnlyList<string> permissions = request.Permissions is { } requested
            ? requested.Select(p => p!).ToArray()
            : _options.DefaultPermissions;

        var refused = permissions.Where(p => !_options.AllowedPermissions.Contains(p, StringComparer.Ordinal)).ToArray();
        if (refused.Length > 0)
        {
            return ApiProblem.ForField(ErrorCodes.PermissionNotAllowed, TokenRequestFields.Permissions,
                $"This service does not grant {string.Join(", ", refused.Select(p => $"'{p}'"))}; it grants {string.Join(", ", _options.AllowedPermissions)}.");
        }

        var lifetime = TimeSpan.FromSeconds(request.TtlSeconds ?? _options.DefaultTtlSeconds);
        return new TokenGrant(permissions, request.RoomId, request.ParticipantId, lifetime);
    }
}
