namespace TokenFunction.Tokens;

/// <summary>
/// Per caller role, the permissions it grants beyond every caller's. Handed to the policy by the composition
/// (from <c>CallerAuth:Roles</c>), so token policy does not read another feature's settings.
/// </summary>
public sealed record RolePermissionRules(IReadOnlyDictionary<string, PermissionRule> ByRole);
