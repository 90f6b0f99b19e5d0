using Microsoft.Extensions.Options;
using TokenFunction.Callers;
using TokenFunction.Problems;

namespace TokenFunction.Tokens;

/// <summary>
/// Decides what a caller gets. Every caller may get <c>Tokens:AllowedPermissions</c>; a signed-in caller
/// also what each of its roles grants (<see cref="RolePermissionRules"/>), and its participantId is its verified
/// identity. Absent fields come from the configured defaults; anything beyond the rules is refused.
/// </summary>
public sealed class TokenPolicy
{
    private readonly TokenPolicyOptions _options;
    private readonly PermissionRule _everyCaller;
    private readonly IReadOnlyDictionary<string, PermissionRule> _roleRules;

    public TokenPolicy(IOptions<TokenPolicyOptions> options, RolePermissionRules roleRules)
    {
        _options = options.Value;
        _everyCaller = new PermissionRule($"{TokenPolicyOptions.SectionName}:{nameof(TokenPolicyOptions.AllowedPermissions)}",
            _options.AllowedPermissions.ToHashSet(StringComparer.Ordinal), RequireRoom: false);
        _roleRules = roleRules.ByRole;
    }

    public Outcome<TokenGrant> Decide(TokenRequest request, CallerIdentity caller)
    {
        if (!caller.IsAnonymous && request.ParticipantId is { } named && named != caller.ParticipantId)
        {
            return ApiProblem.ForField(ErrorCodes.ParticipantMismatch, TokenRequestFields.ParticipantId,
                "participantId is your verified identity from your sign-in; omit it, or send your own.");
        }

        IReadOnlyList<string> permissions = request.Permissions is { } requested
            ? requested.Select(p => p!).ToArray()
            : _options.DefaultPermissions;

        var rules = RulesOf(caller);
        var grantedBy = new List<string>();
        foreach (var permission in permissions)
        {
            var holders = rules.Where(rule => rule.Permissions.Contains(permission)).ToArray();
            var usable = holders.FirstOrDefault(rule => !rule.RequireRoom || request.RoomId is not null);
            if (holders.Length == 0)
            {
                return NotAllowed(permissions, rules);
            }

            if (usable is null)
            {
                return ApiProblem.ForField(ErrorCodes.RoomRequired, TokenRequestFields.RoomId,
                    $"'{permission}' is granted to you ({string.Join(", ", holders.Select(h => h.Name))}) only in a token for one room: send roomId.");
            }

            if (!grantedBy.Contains(usable.Name))
            {
                grantedBy.Add(usable.Name);
            }
        }

        var lifetime = TimeSpan.FromSeconds(request.TtlSeconds ?? _options.DefaultTtlSeconds);
        var participantId = caller.IsAnonymous ? request.ParticipantId : caller.ParticipantId;
        return new TokenGrant(permissions, request.RoomId, participantId, lifetime) { GrantedBy = grantedBy };
    }

    /// <summary>The every-caller rule first, so it is the one named when it suffices.</summary>
    private PermissionRule[] RulesOf(CallerIdentity caller) =>
        [_everyCaller, .. caller.Roles.Select(role => _roleRules.GetValueOrDefault(role)).OfType<PermissionRule>()];

    private static ApiProblem NotAllowed(IReadOnlyList<string> permissions, PermissionRule[] rules)
    {
        var grantable = rules.SelectMany(rule => rule.Permissions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var refused = permissions.Where(p => !rules.Any(rule => rule.Permissions.Contains(p)));
        return ApiProblem.ForField(ErrorCodes.PermissionNotAllowed, TokenRequestFields.Permissions,
            $"You may not get {string.Join(", ", refused.Select(p => $"'{p}'"))}; you may get {string.Join(", ", grantable)}.");
    }
}
