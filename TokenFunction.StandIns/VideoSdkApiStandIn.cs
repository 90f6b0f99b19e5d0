using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace TokenFunction.StandIns;

/// <summary>One request as the stand-in received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A scripted answer, replacing the stand-in's room behaviour for one request: any status, a body as text or as raw
/// bytes (<paramref name="BodyBytes"/>, for answers that are not UTF-8), a Location (for redirects).
/// </summary>
public sealed record StandInReply(
    HttpStatusCode Status, string? Body = null, TimeSpan Delay = default, string? RetryAfter = null, byte[]? BodyBytes = null, string? Location = null);

/// <summary>
/// VideoSDK's room REST API on a loopback port (Kestrel, plain http): <c>POST /v2/rooms</c> and
/// <c>GET /v2/rooms/validate/{roomId}</c> behave like VideoSDK's (rooms kept in memory, a repeated
/// customRoomId answers the existing room), every request is recorded, and <see cref="Reply"/> can script failures.
/// It checks nothing about the Authorization header itself: tests verify the recorded one independently.
/// </summary>
public sealed class VideoSdkApiStandIn : IAsyncDisposable
{
    private LoopbackServer? _server;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Channel<RecordedRequest> _arrived = Channel.CreateUnbounded<RecordedRequest>();
    private readonly ConcurrentDictionary<string, JsonObject> _rooms = new(StringComparer.Ordinal);
    private int _disposed;

    public Uri BaseUrl => (_server ?? throw new InvalidOperationException("Not started.")).BaseAddress;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Waits for the next request to arrive (bounded only against a hang, never a timing assertion).</summary>
    public async Task<RecordedRequest> NextRequestAsync()
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _arrived.Reader.ReadAsync(hang.Token).ConfigureAwait(false);
    }

    /// <summary>When set and it returns a reply, that reply is sent instead of the room behaviour.</summary>
    public Func<RecordedRequest, StandInReply?>? Reply { get; set; }

    public static async Task<VideoSdkApiStandIn> StartAsync()
    {
        var standIn = new VideoSdkApiStandIn();
        standIn._server = await LoopbackServer.StartAsync(tlsCertificate: null, standIn.HandleAsync).ConfigureAwait(false);
        return standIn;
    }

    /// <summary>A room that exists before the test starts.</summary>
    public JsonObject AddRoom(string roomId, string? customRoomId = null) => _rooms[roomId] = NewRoom(roomId, customRoomId);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var recorded = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Headers.Authorization.Count == 0 ? null : context.Request.Headers.Authorization.ToString(),
            context.Request.ContentType,
            await reader.ReadToEndAsync().ConfigureAwait(false));
        _requests.Enqueue(recorded);
        _arrived.Writer.TryWrite(recorded);

        var reply = Reply?.Invoke(recorded) ?? Behave(recorded);
        if (reply.Delay != TimeSpan.Zero)
        {
            // The client gives up first (Timeout.InfiniteTimeSpan: only the client ends it); the aborted request cancels this wait.
            await Task.Delay(reply.Delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        context.Response.StatusCode = (int)reply.Status;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        if (reply.Location is not null)
        {
            context.Response.Headers.Location = reply.Location;
        }

        if ((reply.BodyBytes ?? (reply.Body is null ? null : Encoding.UTF8.GetBytes(reply.Body))) is { } body)
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
        }
    }

    private StandInReply Behave(RecordedRequest request)
    {
        const string validatePrefix = "/v2/rooms/validate/";
        if (request.Method == "POST" && request.Path == "/v2/rooms")
        {
            var customRoomId = request.Body.Length == 0 ? null : request.Json.TryGetProperty("customRoomId", out var custom) ? custom.GetString() : null;
            var existing = customRoomId is null ? null : Find(customRoomId);
            var room = existing ?? AddRoom(NewRoomId(), customRoomId);
            return new StandInReply(HttpStatusCode.OK, room.ToJsonString());
        }

        if (request.Method == "GET" && request.Path.StartsWith(validatePrefix, StringComparison.Ordinal))
        {
            var room = Find(Uri.UnescapeDataString(request.Path[validatePrefix.Length..]));
            return room is null
                ? new StandInReply(HttpStatusCode.NotFound, """{"statusCode":404,"error":"Not Found","message":"Room not found"}""")
                : new StandInReply(HttpStatusCode.OK, room.ToJsonString());
        }

        return new StandInReply(HttpStatusCode.NotFound, """{"message":"no such route"}""");
    }

    private JsonObject? Find(string id) =>
        _rooms.TryGetValue(id, out var room) ? room
        : _rooms.Values.FirstOrDefault(r => (string?)r["customRoomId"] == id);

    private static JsonObject NewRoom(string roomId, string? customRoomId) => new()
    {
        ["roomId"] = roomId,
        ["customRoomId"] = customRoomId,
        ["userId"] = "5f7edbb14c938bcd42944527",
        ["disabled"] = false,
        ["createdAt"] = "2026-11-27T12:00:00.000Z",
        ["updatedAt"] = "2026-11-27T12:00:00.000Z",
        ["id"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
        ["links"] = new JsonObject
        {
            ["get_room"] = $"https://api.videosdk.live/v2/rooms/{roomId}",
            ["get_session"] = $"https://api.videosdk.live/v2/sessions/?roomId={roomId}",
        },
    };

    private static string NewRoomId()
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        return string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString(letters, 4)));
    }

    public async ValueTask DisposeAsync()
    {
        // Tests stop it early to make VideoSDK unreachable; the owner disposes it again afterwards.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
