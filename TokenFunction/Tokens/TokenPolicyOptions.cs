using TokenFunction.VideoSdk;
namespace TokenFunction.Tokens;

/// <summary>What tokens this service hands out when the caller does not say, and the bounds it enforces.</summary>
public sealed class TokenPolicyOptions
{
    public const string SectionName = "Tokens";

    /// <summary>VideoSDK's guides use 24 hours; a shorter default is a reasonable hardening.</summary>
    public int DefaultTtlSeconds { get; set; } = 86_400;

    public int MaxTtlSeconds { get; set; } = 86_400;

    /// <summary>Granted when a request names no permissions. Empty means <c>[allow_join]</c>.</summary>
    /// <remarks>
    /// Array defaults are applied after binding (see <see cref="ApplyDefaults"/>): the configuration binder
    /// appends configured elements to an initialised array instead of replacing it.
    /// </remarks>
    public string[] DefaultPermissions { get; set; } = [];

    /// <summary>
    /// The most any caller may ask for. Empty means <c>[allow_join, ask_join]</c>: moderation (allow_mod)
    /// stays off until it is listed here on purpose.
    /// </summary>
    public string[] AllowedPermissions { get; set; } = [];

    /// <summary>Shorter lifetimes are refused: clock skew between client and VideoSDK would eat them.</summary>
    public const int MinTtlSeconds = 60;

    /// <summary>Upper bound for <see cref="MaxTtlSeconds"/>: a leaked token must not live for weeks.</summary>
    public const int MaxTtlSecondsCeiling = 7 * 86_400;

    internal static void ApplyDefaults(TokenPolicyOptions options)
    {
        if (options.DefaultPermissions.Length == 0)
        {
            options.DefaultPermissions = [Permissions.AllowJoin];
        }

        if (options.AllowedPermissions.Length == 0)
        {
            options.AllowedPermissions = [Permissions.AllowJoin, Permissions.AskJoin];
        }
    }
}
