using TokenFunction.Problems;

namespace TokenFunction.VideoSdk;

/// <summary>
/// The rules any permission set must follow before VideoSDK will accept it, shared by request
/// validation and by start-up validation of the configured defaults.
/// </summary>
internal static class PermissionSetRules
{
    public static IEnumerable<(ErrorCode Error, string Detail)> Check(IReadOnlyList<string?> permissions)
    {
        if (permissions.Count == 0)
        {
            yield return (ErrorCodes.PermissionsEmpty, "At least one permission is required.");
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var permission in permissions)
        {
            if (permission is null || !Permissions.Known.Contains(permission))
            {
                yield return (ErrorCodes.PermissionUnknown,
                    $"Unknown permission {Describe.Value(permission)}; expected one of {string.Join(", ", Permissions.Known)}.");
            }
            else if (!seen.Add(permission))
            {
                yield return (ErrorCodes.PermissionDuplicate, $"Permission '{permission}' is listed more than once.");
            }
        }

        if (seen.Contains(Permissions.AskJoin) && seen.Overlaps(Permissions.ConflictingWithAskJoin))
        {
            yield return (ErrorCodes.PermissionConflict,
                $"'{Permissions.AskJoin}' cannot be combined with '{Permissions.AllowJoin}' or '{Permissions.AllowMod}': VideoSDK refuses such a token at join (error 4008).");
        }
    }
}
