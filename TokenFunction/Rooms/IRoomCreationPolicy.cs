using TokenFunction.Callers;
using TokenFunction.Problems;

namespace TokenFunction.Rooms;

/// <summary>
/// Who may create rooms, by caller-authentication mode: <see cref="RoleRoomCreationPolicy"/> when callers sign in,
/// <see cref="SettingRoomCreationPolicy"/> when they are anonymous.
/// </summary>
public interface IRoomCreationPolicy
{
    /// <returns>Null when <paramref name="caller"/> may create a room; otherwise the refusal.</returns>
    ApiProblem? CheckCreate(CallerIdentity caller);
}
