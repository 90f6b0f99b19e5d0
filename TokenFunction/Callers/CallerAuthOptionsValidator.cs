using Microsoft.Extensions.Options;
using TokenFunction.Platform;
using TokenFunction.Problems;
using TokenFunction.VideoSdk;

namespace TokenFunction.Callers;

/// <summary>
/// Start-up checks of caller authentication; each failure names the setting to fix. Depends on the
/// platform, not on options of its own kind (which would be a DI cycle).
/// </summary>
internal sealed class CallerAuthOptionsValidator(HostingPlatform platform) : IValidateOptions<CallerAuthOptions>
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, CallerAuthOptions options)
    {
        var failures = options.HasAuthority ? CheckAuthenticated(options) : CheckAnonymous(options);

        // Checked in both modes: a wrong value stops the app now rather than on the day an authority is set.
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            failures.Add($"{Key(nameof(options.ClockSkew))} must be from 00:00:00 to {MaxClockSkew}; it is {options.ClockSkew}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private List<string> CheckAnonymous(CallerAuthOptions options)
    {
        var failures = new List<string>();
        if (platform.RunsInAzure && !options.AllowAnonymous)
        {
            failures.Add($"{Key(nameof(options.Authority))} is empty and the app runs in Azure ({HostingPlatform.Describe} is set): "
                         + $"anyone could get tokens. Set {Key(nameof(options.Authority))} and {Key(nameof(options.Audiences))} to your identity provider, "
                         + $"or set {Key(nameof(options.AllowAnonymous))}=true to run an open endpoint on purpose.");
        }

        if (options.Roles.Count > 0)
        {
            failures.Add($"{Key(nameof(options.Roles))} needs {Key(nameof(options.Authority))}: anonymous callers have no roles.");
        }

        return failures;
    }

    private static List<string> CheckAuthenticated(CallerAuthOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps
            || authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            failures.Add($"{Key(nameof(options.Authority))} must be the provider's https:// issuer URL without query or fragment, "
                         + "such as https://login.microsoftonline.com/<tenant-id>/v2.0.");
        }

        if (options.AllowAnonymous)
        {
            failures.Add($"{Key(nameof(options.AllowAnonymous))} cannot be true when {Key(nameof(options.Authority))} is set: callers either sign in or do not. Remove one.");
        }

        if (options.Audiences.Length == 0 || options.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Key(nameof(options.Audiences))} must list at least one audience (e.g. {Key(nameof(options.Audiences))}:0 = your API's client id or App ID URI), and no empty ones.");
        }

        if (string.IsNullOrWhiteSpace(options.ParticipantIdClaim))
        {
            failures.Add($"{Key(nameof(options.ParticipantIdClaim))} must name a claim, such as sub or oid.");
        }

        if (string.IsNullOrWhiteSpace(options.RolesClaim))
        {
            failures.Add($"{Key(nameof(options.RolesClaim))} must name a claim, such as roles or groups.");
        }

        foreach (var (role, grant) in options.Roles)
        {
            // A role's list is an allow-list, like Tokens:AllowedPermissions: it may hold ask_join beside allow_join.
            failures.AddRange(PermissionSetRules.Check(grant.Permissions)
                .Where(rule => rule.Error != ErrorCodes.PermissionConflict)
                .Select(rule => $"{Key(nameof(options.Roles))}:{role}:{nameof(grant.Permissions)}: {rule.Detail}"));
        }

        return failures;
    }

    private static string Key(string property) => $"{CallerAuthOptions.SectionName}:{property}";
}
