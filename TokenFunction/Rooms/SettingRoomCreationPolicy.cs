using Microsoft.Extensions.Options;
using TokenFunction.Callers;
using TokenFunction.Problems;

namespace TokenFunction.Rooms;

/// <summary>Anonymous mode: <c>Rooms:AllowCreate</c> for everyone, since anonymous callers have no roles to tell them apart.</summary>
internal sealed class SettingRoomCreationPolicy(IOptions<RoomsOptions> options) : IRoomCreationPolicy
{
    private static readonly ApiProblem Refusal = new(ErrorCodes.RoomCreateNotAllowed,
        $"This service does not create rooms for callers ({RoomsOptions.SectionName}:{nameof(RoomsOptions.AllowCreate)} is off). Join an existing room, or ask the operator.");

    private readonly bool _allowCreate = options.Value.AllowCreate;

    public ApiProblem? CheckCreate(CallerIdentity caller) => _allowCreate ? null : Refusal;
}
