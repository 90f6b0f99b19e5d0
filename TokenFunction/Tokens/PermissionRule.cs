namespace TokenFunction.Tokens;

/// <summary>One source of permissions a caller may hold, named by the setting that defines it (the name is logged).</summary>
public sealed record PermissionRule(string Name, IReadOnlySet<string> Permissions, bool RequireRoom);
