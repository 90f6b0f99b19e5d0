using Microsoft.Extensions.Options;
using TokenFunction.Callers;

namespace TokenFunction.Rooms;

/// <summary>
/// Start-up check that the room-creation setting fits the caller-authentication mode: each mode has its own
/// setting, and one left over from the other mode would otherwise be silently ignored.
/// </summary>
internal sealed class RoomCreatorsValidator(CallerAuthMode mode) : IValidateOptions<RoomsOptions>
{
    private static readonly string AllowCreate = $"{RoomsOptions.SectionName}:{nameof(RoomsOptions.AllowCreate)}";
    private static readonly string CreatorRoles = $"{RoomsOptions.SectionName}:{nameof(RoomsOptions.CreatorRoles)}";
    private static readonly string Authority = $"{CallerAuthOptions.SectionName}:{nameof(CallerAuthOptions.Authority)}";

    public ValidateOptionsResult Validate(string? name, RoomsOptions options)
    {
        var failures = new List<string>();
        if (mode.CallersSignIn)
        {
            if (options.AllowCreate)
            {
                failures.Add($"{AllowCreate} applies only to anonymous callers; with {Authority} set, name the roles that may create rooms in {CreatorRoles}:0..n and remove {AllowCreate}.");
            }

            if (options.CreatorRoles.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{CreatorRoles} must not contain empty roles.");
            }
        }
        else if (options.CreatorRoles.Length > 0)
        {
            failures.Add($"{CreatorRoles} needs {Authority}: anonymous callers have no roles. Use {AllowCreate} in anonymous mode.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
