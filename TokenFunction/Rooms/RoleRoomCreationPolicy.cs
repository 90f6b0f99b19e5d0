using Microsoft.Extensions.Options;
using TokenFunction.Callers;
using TokenFunction.Problems;

namespace TokenFunction.Rooms;

/// <summary>Bearer mode: callers holding one of <c>Rooms:CreatorRoles</c> may create rooms; nobody else.</summary>
internal sealed class RoleRoomCreationPolicy(IOptions<RoomsOptions> options) : IRoomCreationPolicy
{
    private readonly HashSet<string> _creatorRoles = options.Value.CreatorRoles.ToHashSet(StringComparer.Ordinal);

    public ApiProblem? CheckCreate(CallerIdentity caller) =>
        caller.Roles.Any(_creatorRoles.Contains)
            ? null
            // The configured roles are not named: which role opens creation is the operator's business, not the caller's.
            : new ApiProblem(ErrorCodes.RoomCreateNotAllowed,
                $"{caller} holds no role that may create rooms. Join an existing room, or ask the operator for a room-creator role.");
}
