using System.Net;
using System.Text;

namespace TokenFunction.LoadRun;

/// <summary>A request the load run sends over and over, and the status that counts as success.</summary>
public sealed record LoadTarget(string Name, string Method, string Path, byte[]? JsonBody, HttpStatusCode Expected)
{
    /// <summary>The room every token is asked for.</summary>
    public const string RoomId = "abcd-efgh-ijkl";

    // A realistic request: what a client app asks for when joining a known room. The floor app gets the same bytes.
    private static readonly byte[] JoinRequestBody =
        Encoding.UTF8.GetBytes($"{{\"permissions\":[\"allow_join\"],\"roomId\":\"{RoomId}\",\"ttlSeconds\":3600}}");

    public static readonly LoadTarget Token = new("token", "POST", "api/token", JoinRequestBody, HttpStatusCode.OK);

    /// <summary>The floor app's only function (TokenFunction.FloorApp).</summary>
    public static readonly LoadTarget Ping = new("ping", "POST", "api/ping", JoinRequestBody, HttpStatusCode.OK);

    /// <summary>
    /// The Node peer's token route as its clients call it: a GET, the room in a JSON body, which binds the token to
    /// that room (version 2, the meeting role), as ours is.
    /// </summary>
    public static readonly LoadTarget NodeToken = new("node-token", "GET", "get-token", Encoding.UTF8.GetBytes($"{{\"roomId\":\"{RoomId}\"}}"), HttpStatusCode.OK);

    public static readonly LoadTarget Health = new("health", "GET", "api/health", null, HttpStatusCode.OK);

    /// <summary>No function has this route: the host stand-in answers 404 without asking the worker.</summary>
    public static readonly LoadTarget Missing = new("missing", "GET", "api/no-such-route", null, HttpStatusCode.NotFound);

    public static LoadTarget Named(string name) =>
        new[] { Token, Ping, NodeToken, Health, Missing }.SingleOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"No load target '{name}' (token, ping, node-token, health, missing).");

    public HttpRequestMessage NewRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (JsonBody is not null)
        {
            request.Content = new ByteArrayContent(JsonBody);
            request.Content.Headers.ContentType = new("application/json");
        }

        return request;
    }

    public override string ToString() => $"{Method} /{Path}";
}
