namespace TokenFunction.Callers;

/// <summary>What callers holding one role (or group) may get on top of what every caller may get.</summary>
internal sealed class RoleGrantOptions
{
    /// <summary>The VideoSDK permissions this role may ask for, for example <c>[allow_join, allow_mod]</c>.</summary>
    public string[] Permissions { get; set; } = [];

    /// <summary>When set, this role's permissions are granted only in tokens limited to one room (a roomId is required).</summary>
    public bool RequireRoom { get; set; }
}
