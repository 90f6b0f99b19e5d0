using Microsoft.Extensions.Options;
using TokenFunction.Problems;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tokens;

/// <summary>Start-up checks of the token policy; each failure names the setting to fix.</summary>
internal sealed class TokenPolicyOptionsValidator : IValidateOptions<TokenPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenPolicyOptions options)
    {
        var failures = new List<string>();

        if (options.MaxTtlSeconds < TokenPolicyOptions.MinTtlSeconds || options.MaxTtlSeconds > TokenPolicyOptions.MaxTtlSecondsCeiling)
        {
            failures.Add($"{Key(nameof(options.MaxTtlSeconds))} must be from {TokenPolicyOptions.MinTtlSeconds} to {TokenPolicyOptions.MaxTtlSecondsCeiling}; it is {options.MaxTtlSeconds}.");
        }

        if (options.DefaultTtlSeconds < TokenPolicyOptions.MinTtlSeconds || options.DefaultTtlSeconds > options.MaxTtlSeconds)
        {
            failures.Add($"{Key(nameof(options.DefaultTtlSeconds))} must be from {TokenPolicyOptions.MinTtlSeconds} to {Key(nameof(options.MaxTtlSeconds))} ({options.MaxTtlSeconds}); it is {options.DefaultTtlSeconds}.");
        }

        failures.AddRange(PermissionSetRules.Check(options.AllowedPermissions)
            .Where(rule => rule.Error != ErrorCodes.PermissionConflict)
            .Select(rule => $"{Key(nameof(options.AllowedPermissions))}: {rule.Detail}"));

        failures.AddRange(PermissionSetRules.Check(options.DefaultPermissions)
            .Select(rule => $"{Key(nameof(options.DefaultPermissions))}: {rule.Detail}"));

        var notAllowed = options.DefaultPermissions.Except(options.AllowedPermissions, StringComparer.Ordinal).ToArray();
        if (notAllowed.Length > 0)
        {
            failures.Add($"{Key(nameof(options.DefaultPermissions))} grants {string.Join(", ", notAllowed)}, which {Key(nameof(options.AllowedPermissions))} does not allow.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{TokenPolicyOptions.SectionName}:{property}";
}
