using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Http;

namespace TokenFunction.Rooms;

/// <summary>
/// Who may create rooms. Today a setting decides for every caller (<see cref="SettingRoomCreationPolicy"/>);
/// once caller authentication lands, a role-based policy reads the caller from the request and replaces it
/// in DI without touching the function.
/// </summary>
public interface IRoomCreationPolicy
{
    /// <returns>Null when <paramref name="request"/>'s caller may create a room; otherwise the refusal.</returns>
    ApiProblem? CheckCreate(HttpRequestData request);
}

/// <summary><c>Rooms:AllowCreate</c> for everyone: callers are not told apart until caller authentication exists.</summary>
public sealed class SettingRoomCreationPolicy(Microsoft.Extensions.Options.IOptions<RoomsOptions> options) : IRoomCreationPolicy
{
    private static readonly ApiProblem Refusal = new(ErrorCodes.RoomCreateNotAllowed,
        $"This service does not create rooms for callers ({RoomsOptions.SectionName}:{nameof(RoomsOptions.AllowCreate)} is off). Join an existing room, or ask the operator.");

    private readonly bool _allowCreate = options.Value.AllowCreate;

    public ApiProblem? CheckCreate(HttpRequestData request) => _allowCreate ? null : Refusal;
}
