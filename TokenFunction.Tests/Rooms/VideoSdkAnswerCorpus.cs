using System.Net;
using System.Text;
using System.Text.Json;
using TokenFunction.Tests.Http;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Rooms;

/// <summary>A room call a caller makes: a creation (optionally with a custom id) or a validation of <see cref="VideoSdkAnswerCorpus.AskedRoom"/>.</summary>
public enum RoomCall
{
    Validate,
    Create,
    CreateWithCustomId,
}

/// <summary>
/// One answer VideoSDK's API must never give, for one kind of room call, and its class as docs/security.md counts them.
/// <paramref name="Hostile"/>: text of the answer that must reach neither the caller nor a header.
/// </summary>
public sealed record DefectiveAnswer(string Name, string Class, RoomCall Call, StandInReply Reply, string? Hostile = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// Answers a misbehaving or impersonated VideoSDK could give, each crossed with the calls it can answer: room ids and
/// custom room ids outside the rules a caller's ids obey (every hostile identifier of the request corpus, every wrong
/// JSON type), bodies that are not one JSON object of well-formed UTF-8, another room than the one asked for, and
/// redirects. Each must be 502 <c>upstream_invalid_answer</c>, with nothing of the answer relayed.
/// </summary>
public static class VideoSdkAnswerCorpus
{
    public const string AskedRoom = "asked-room-1";
    public const string AskedCustomId = "asked-custom-1";

    public const string FieldRule = "room ids and fields outside the rules";
    public const string Body = "not one JSON object of well-formed UTF-8";
    public const string AnotherRoom = "another room than asked";
    public const string Redirect = "redirects";

    public static IReadOnlyList<string> Classes { get; } = [FieldRule, Body, AnotherRoom, Redirect];

    private static readonly string[] WrongTypes = ["1", "true", "{}", "[]", "[\"abcd-efgh-ijkl\"]"];

    private static readonly string[] NotBooleans = ["1", "0", "\"true\"", "\"false\"", "{}", "[]"];

    private static readonly Lazy<DefectiveAnswer[]> Generated = new(() => Generate().DistinctBy(a => a.Name).ToArray());

    public static IReadOnlyList<DefectiveAnswer> All => Generated.Value;

    public static DefectiveAnswer ByName(string name) => All.Single(a => a.Name == name);

    private static IEnumerable<DefectiveAnswer> Generate()
    {
        foreach (var call in Enum.GetValues<RoomCall>())
        {
            foreach (var (identifier, index) in HostileRequestCorpus.HostileIdentifiers.Select((v, i) => (v, i)))
            {
                yield return Answer($"roomId hostile #{index}", FieldRule, call, Room(JsonString(identifier), CustomIdFor(call)), Visible(identifier));
                yield return Answer($"customRoomId hostile #{index}", FieldRule, call, Room("\"abcd-efgh-ijkl\"", JsonString(identifier)), Visible(identifier));
            }

            foreach (var json in WrongTypes)
            {
                yield return Answer($"roomId {json}", FieldRule, call, Room(json, CustomIdFor(call)));
                yield return Answer($"customRoomId {json}", FieldRule, call, Room("\"abcd-efgh-ijkl\"", json));
            }

            yield return Answer("roomId missing", FieldRule, call, $"{{\"customRoomId\":{CustomIdFor(call)},\"disabled\":false}}");
            yield return Answer("roomId null", FieldRule, call, Room("null", CustomIdFor(call)));
            foreach (var json in NotBooleans)
            {
                yield return Answer($"disabled {json}", FieldRule, call, Room("\"abcd-efgh-ijkl\"", CustomIdFor(call), disabled: json));
            }

            foreach (var (name, body) in Bodies(call))
            {
                yield return new DefectiveAnswer($"{call}: body {name}", Body, call, new StandInReply(HttpStatusCode.OK, BodyBytes: body));
            }

            foreach (var status in new[] { 300, 301, 302, 303, 304, 307, 308 })
            {
                yield return new DefectiveAnswer($"{call}: {status} to another host", Redirect, call,
                    new StandInReply((HttpStatusCode)status, Location: OtherHost + "v2/rooms/validate/abcd-efgh-ijkl"), OtherHost);
                yield return new DefectiveAnswer($"{call}: {status} to another path", Redirect, call,
                    new StandInReply((HttpStatusCode)status, Location: "/v2/rooms/validate/abcd-efgh-ijkl"));
            }
        }

        // Validating asked-room-1 answered with a room neither of whose ids is asked-room-1.
        yield return Answer("another room's ids", AnotherRoom, RoomCall.Validate, Room("\"wxyz-wxyz-wxyz\"", "\"other-custom\""));
        yield return Answer("another room without a custom id", AnotherRoom, RoomCall.Validate, Room("\"wxyz-wxyz-wxyz\"", "null"));
        yield return Answer("the asked id in another case", AnotherRoom, RoomCall.Validate, Room("\"ASKED-ROOM-1\"", "null"));
        // Creating asked-custom-1 answered with a room of another custom id, or none.
        yield return Answer("another custom id", AnotherRoom, RoomCall.CreateWithCustomId, Room("\"abcd-efgh-ijkl\"", "\"other-custom\""));
        yield return Answer("no custom id", AnotherRoom, RoomCall.CreateWithCustomId, Room("\"abcd-efgh-ijkl\"", "null"));
    }

    /// <summary>Where a redirect points when it leaves VideoSDK's host: a test puts a second stand-in's address in its place.</summary>
    public const string OtherHost = "http://other-host.invalid/";

    private static DefectiveAnswer Answer(string name, string @class, RoomCall call, string json, string? hostile = null) =>
        new($"{call}: {name}", @class, call, new StandInReply(HttpStatusCode.OK, json), hostile);

    /// <summary>The custom id the answer must carry to pass every other rule: the asked one for a creation with it.</summary>
    private static string CustomIdFor(RoomCall call) => call switch
    {
        RoomCall.Validate => $"\"{AskedRoom}\"",
        RoomCall.CreateWithCustomId => $"\"{AskedCustomId}\"",
        _ => "null",
    };

    private static string Room(string roomId, string customRoomId, string disabled = "false") =>
        $$$"""{"roomId":{{{roomId}}},"customRoomId":{{{customRoomId}}},"disabled":{{{disabled}}},"links":{"get_room":"https://api.videosdk.live/v2/rooms/x"}}""";

    private static IEnumerable<(string Name, byte[] Body)> Bodies(RoomCall call)
    {
        var valid = Room("\"abcd-efgh-ijkl\"", CustomIdFor(call));
        yield return ("empty", []);
        yield return ("not JSON", "<html>moved</html>"u8.ToArray());
        yield return ("an array of the room", Encoding.UTF8.GetBytes($"[{valid}]"));
        yield return ("a string", "\"abcd-efgh-ijkl\""u8.ToArray());
        yield return ("the room followed by another", Encoding.UTF8.GetBytes(valid + valid));
        yield return ("the room followed by a NUL", [.. Encoding.UTF8.GetBytes(valid), 0]);
        yield return ("roomId twice", Encoding.UTF8.GetBytes(valid[..^1] + ",\"roomId\":\"wxyz-wxyz-wxyz\"}"));
        yield return ("nested 20 levels in an unread field", Encoding.UTF8.GetBytes(valid[..^1] + ",\"x\":" + new string('[', 20) + new string(']', 20) + "}"));
        foreach (var content in HostileRequestCorpus.IllFormed)
        {
            // In a field the service never reads: the whole answer is judged.
            yield return ($"links.get_room: {content.Name}", [.. Encoding.UTF8.GetBytes(valid[..^3]), .. content.Bytes, .. "\"}}"u8]);
        }
    }

    /// <summary>A JSON string that keeps lone surrogates and control characters as escapes.</summary>
    private static string JsonString(string value) =>
        "\"" + string.Concat(value.Select(c => c is < ' ' or '"' or '\\' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";

    /// <summary>Hostile text worth looking for in what the caller gets: long enough not to turn up by chance.</summary>
    private static string? Visible(string identifier) => identifier.Length >= 3 && !identifier.Any(char.IsSurrogate) ? identifier : null;
}
