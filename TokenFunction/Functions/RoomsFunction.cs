using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Functions.Middleware;
using TokenFunction.Http;
using TokenFunction.Rooms;
using TokenFunction.Tokens;
using TokenFunction.Problems;
using TokenFunction.VideoSdk;

namespace TokenFunction.Functions;

/// <summary><c>POST /api/rooms</c> creates a room; <c>GET /api/rooms/{roomId}</c> checks one exists. Both through VideoSDK's REST API.</summary>
public sealed class RoomsFunction(IRoomCreationPolicy creationPolicy, VideoSdkRoomsClient rooms, AdmittedCaller caller, ApiResponses answers)
{
    public const string CreateName = "CreateRoom";
    public const string ValidateName = "ValidateRoom";

    // Anonymous at the platform, as the token endpoint and for the same reason: the function admits callers
    // itself (CallerAdmissionMiddleware: bearer tokens when CallerAuth:Authority is set, and the rate limit). A function key
    // as well would be a second credential that ships inside client apps and identifies nobody.
    // No method lists on the triggers, as on the token endpoint: other methods get a 405 problem with Allow.
    [Function(CreateName)]
    [AdmitCaller]
    public async Task<HttpResponseData> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = "rooms")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        if (!HttpMethods.Is(request, HttpMethods.Post))
        {
            return await answers.ProblemAsync(request, ApiProblem.MethodNotAllowed(request.Method, HttpMethods.Post));
        }

        // Policy before the body: a caller who may not create rooms learns nothing about the request format.
        if (creationPolicy.CheckCreate(caller.Identity) is { } refusal)
        {
            return await answers.ProblemAsync(request, refusal);
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        var parsed = body.Succeeded ? CreateRoomRequestParser.Parse(body.Value) : body.Problem;
        if (!parsed.Succeeded)
        {
            return await answers.ProblemAsync(request, parsed.Problem);
        }

        var created = await rooms.CreateAsync(parsed.Value, cancellationToken);
        if (!created.Succeeded)
        {
            return await answers.ProblemAsync(request, created.Problem);
        }

        var response = await answers.JsonAsync(request, HttpStatusCode.Created, RoomResponse.From(created.Value), ResponseJsonContext.Default.RoomResponse);
        response.Headers.Add("Location", $"/api/rooms/{Uri.EscapeDataString(created.Value.RoomId)}");
        return response;
    }

    [Function(ValidateName)]
    [AdmitCaller]
    public async Task<HttpResponseData> ValidateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = "rooms/{roomId}")] HttpRequestData request,
        string roomId,
        CancellationToken cancellationToken)
    {
        // Any admitted caller may validate (CallerAdmissionMiddleware): with an authority that means signed in, so ids cannot be probed anonymously.
        if (!HttpMethods.Is(request, HttpMethods.Get))
        {
            return await answers.ProblemAsync(request, ApiProblem.MethodNotAllowed(request.Method, HttpMethods.Get));
        }

        // Checked before VideoSDK is called: a bad id costs no upstream request and cannot shape its URL.
        if (Identifiers.RoomId.Check(TokenRequestFields.RoomId, roomId) is { } invalid)
        {
            return await answers.ProblemAsync(request, ApiProblem.ForFields([invalid]));
        }

        var room = await rooms.ValidateAsync(roomId, cancellationToken);
        return room.Succeeded
            ? await answers.JsonAsync(request, HttpStatusCode.OK, RoomResponse.From(room.Value), ResponseJsonContext.Default.RoomResponse)
            : await answers.ProblemAsync(request, room.Problem);
    }
}
