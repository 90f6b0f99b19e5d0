using System.Text.Json.Nodes;
using TokenFunction.Tests.Http;

namespace TokenFunction.Tests.Contract;

/// <summary>
/// A request as typed values: the operation, the field whose value was generated (<c>body.webhook.endPoint</c>,
/// <c>ttlSeconds</c>...), its parameters and its body (<paramref name="HasBody"/> false: none sent).
/// </summary>
public sealed record ContractRequest(string OperationId, string Field, IReadOnlyDictionary<string, JsonNode?> Parameters, bool HasBody, JsonNode? Body)
{
    public string Describe() => $"{OperationId} {Field}: {(Parameters.Count > 0 ? new JsonObject(Parameters.ToDictionary(p => p.Key, p => p.Value?.DeepClone())).ToJsonString() : "")}{(HasBody ? " body " + (Body?.ToJsonString() ?? "null") : "")}";

    /// <summary>What validate-requests.mjs reads.</summary>
    public JsonObject ToValidatorInput()
    {
        var input = new JsonObject
        {
            ["operationId"] = OperationId,
            ["parameters"] = new JsonObject(Parameters.ToDictionary(p => p.Key, p => p.Value?.DeepClone())),
        };
        if (HasBody)
        {
            input["body"] = Body?.DeepClone();
        }

        return input;
    }
}

/// <summary>
/// Generated requests for every field of every operation of the contract that has one (checkHealth has none): for each
/// field, values of every JSON type, valid and invalid for its rule (lengths, patterns, enums, bounds, unique items,
/// the ask_join combination, the members of VideoSDK's objects), alone and combined, plus bodies that are no object and
/// unknown fields. Values are JSON data (what a schema sees), written canonically: how a value is written (60.0 for
/// 60, escaped lone surrogates, duplicate names, nesting beyond the stated depth) is not data, and is checked by the
/// hostile-request corpus instead. The query's values are those its form can carry: strings without commas in lists,
/// integers for ttlSeconds.
/// </summary>
public static class ContractRequestCorpus
{
    private static readonly string[] Permissions = ["allow_join", "ask_join", "allow_mod"];

    private static readonly string[] NotPermissions = ["ALLOW_JOIN", " allow_join", "allow_join\u00a0", "", "crawler", "allow-join"];

    private static readonly JsonNode?[] NotStrings = [1, true, new JsonArray(), new JsonObject(), 1.5];

    private static readonly string[] RoomIds = ["abcd-efgh-ijkl", "a", "A_Z-09", new string('r', 128)];

    private static readonly string[] ParticipantIds = ["u-1", "auth0|abc", "a.b@c:d|e+f=g~h", new string('p', 128)];

    /// <summary>Strings no id may be, from the hostile-request corpus (less the lone surrogates, which are no Unicode text): one too long among them.</summary>
    private static IEnumerable<string> NotIds => HostileRequestCorpus.HostileIdentifiers.Where(s => !s.Any(char.IsSurrogate) && s.Length <= 200);

    private static readonly long[] Ttls = [59, 60, 61, 3600, 86400, 86401, 604800, 604801, 0, -1, -60, 2147483647, 2147483648];

    private static readonly Lazy<ContractRequest[]> Generated = new(() => Generate().ToArray());

    /// <summary>Generated on first use: after every static list of this class is initialised.</summary>
    public static IReadOnlyList<ContractRequest> All => Generated.Value;

    private static IEnumerable<ContractRequest> Generate() =>
        TokenBodies().Concat(TokenQueries()).Concat(RoomBodies()).Concat(RoomPaths());

    private static IEnumerable<JsonArray> PermissionLists(bool queryForm)
    {
        yield return [];
        foreach (var word in Permissions.Concat(NotPermissions).Where(w => !queryForm || w.Length > 0))
        {
            yield return [word];
        }

        var pairs = Permissions.Append("crawler").ToArray();
        foreach (var first in pairs)
        {
            foreach (var second in pairs)
            {
                yield return [first, second];
            }
        }

        foreach (var first in Permissions)
        {
            foreach (var second in Permissions)
            {
                foreach (var third in Permissions)
                {
                    yield return [first, second, third];
                }
            }
        }
    }

    private static IEnumerable<ContractRequest> TokenBodies()
    {
        const string op = "issueToken";
        IEnumerable<(string Field, JsonNode? Value)> values =
        [
            .. PermissionLists(queryForm: false).Select(list => ("permissions", (JsonNode?)list)),
            .. new JsonNode?[] { null, "allow_join", 1, true, new JsonObject(), new JsonArray(1), new JsonArray((JsonNode?)null), new JsonArray("allow_join", null), new JsonArray(new JsonArray()) }
                .Select(v => ("permissions", v)),
            .. Strings("roomId", RoomIds), .. Strings("participantId", ParticipantIds),
            .. Ttls.Select(t => ("ttlSeconds", (JsonNode?)t)),
            .. new JsonNode?[] { null, 60.5, "600", true, new JsonArray(600), new JsonObject() }.Select(v => ("ttlSeconds", v)),
        ];
        foreach (var (field, value) in values)
        {
            yield return new(op, "body." + field, NoParameters, true, new JsonObject { [field] = value });
        }

        yield return new(op, "body", NoParameters, false, null);
        foreach (var body in new JsonNode?[]
                 {
                     new JsonObject(), null, new JsonArray(), "roomId", 1, new JsonObject { ["room"] = "abcd" }, new JsonObject { ["RoomId"] = "abcd" },
                     new JsonObject { ["permissions"] = new JsonArray("allow_join"), ["roomId"] = "abcd", ["participantId"] = "u-1", ["ttlSeconds"] = 600 },
                     new JsonObject { ["permissions"] = new JsonArray("ask_join"), ["roomId"] = "a b", ["ttlSeconds"] = 59 },
                 })
        {
            yield return new(op, "body", NoParameters, true, body);
        }
    }

    private static IEnumerable<ContractRequest> TokenQueries()
    {
        const string op = "issueTokenFromQuery";
        IEnumerable<(string Field, JsonNode? Value)> values =
        [
            .. PermissionLists(queryForm: true).Select(list => ("permissions", (JsonNode?)list)),
            .. Strings("roomId", RoomIds, queryForm: true), .. Strings("participantId", ParticipantIds, queryForm: true),
            .. Ttls.Select(t => ("ttlSeconds", (JsonNode?)t)),
        ];
        foreach (var (field, value) in values)
        {
            yield return new(op, field, new Dictionary<string, JsonNode?> { [field] = value }, false, null);
        }

        yield return new(op, "all", new Dictionary<string, JsonNode?>
        {
            ["permissions"] = new JsonArray("allow_join"), ["roomId"] = "abcd", ["participantId"] = "u-1", ["ttlSeconds"] = 600,
        }, false, null);
    }

    private static IEnumerable<ContractRequest> RoomBodies()
    {
        const string op = "createRoom";
        foreach (var (field, value) in Strings("customRoomId", RoomIds.Select(id => "c-" + id[..Math.Min(id.Length, 126)])))
        {
            yield return new(op, "body." + field, NoParameters, true, new JsonObject { [field] = value });
        }

        var members = new (string Object, string Member, JsonNode?[] Values)[]
        {
            ("webhook", "endPoint", ["https://hooks.contoso.test/videosdk", "", "not a URL", null, 1, true, new JsonArray(), new JsonObject()]),
            ("webhook", "events", [new JsonArray(), new JsonArray("session-started", "session-ended"), new JsonArray("x", "x"), "session-started", null, 1, new JsonArray(1), new JsonArray("a", null), new JsonArray(new JsonArray())]),
            ("autoCloseConfig", "type", ["session-ends", "", null, 1, true, new JsonArray("session-ends"), new JsonObject()]),
            ("autoCloseConfig", "duration", [60, 0, -1, 100000, 60.5, "60", null, true, new JsonArray(60), new JsonObject()]),
        };
        foreach (var (container, member, values) in members)
        {
            foreach (var value in values)
            {
                yield return new(op, $"body.{container}.{member}", NoParameters, true, new JsonObject { [container] = new JsonObject { [member] = value } });
            }
        }

        foreach (var container in new[] { "webhook", "autoCloseConfig" })
        {
            // Objects of VideoSDK's passed through, within the stated nesting (2 levels inside the object).
            foreach (var value in new JsonNode?[]
                     {
                         null, new JsonObject(), new JsonObject { ["extra"] = 1 }, new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray(1, "two") } },
                         "https://hooks.contoso.test", 1, true, new JsonArray(), new JsonArray(new JsonObject()),
                     })
            {
                yield return new(op, "body." + container, NoParameters, true, new JsonObject { [container] = value });
            }
        }

        yield return new(op, "body", NoParameters, false, null);
        foreach (var body in new JsonNode?[]
                 {
                     new JsonObject(), null, new JsonArray(), "x", new JsonObject { ["roomId"] = "abcd" },
                     new JsonObject
                     {
                         ["customRoomId"] = "c-all-three",
                         ["webhook"] = new JsonObject { ["endPoint"] = "https://hooks.contoso.test", ["events"] = new JsonArray("session-started") },
                         ["autoCloseConfig"] = new JsonObject { ["type"] = "session-ends", ["duration"] = 60 },
                     },
                 })
        {
            yield return new(op, "body", NoParameters, true, body);
        }
    }

    private static IEnumerable<ContractRequest> RoomPaths() =>
        RoomIds.Concat(NotIds).Where(id => id.Length > 0)
            .Select(id => new ContractRequest("validateRoom", "roomId", new Dictionary<string, JsonNode?> { ["roomId"] = id }, false, null));

    /// <summary>A string field's values: valid, invalid, and (in a body) every other type and null.</summary>
    private static IEnumerable<(string Field, JsonNode? Value)> Strings(string field, IEnumerable<string> valid, bool queryForm = false) =>
        valid.Concat(NotIds).Select(s => (field, (JsonNode?)s))
            .Concat(queryForm ? [] : NotStrings.Prepend(null).Select(v => (field, v?.DeepClone())));

    private static readonly IReadOnlyDictionary<string, JsonNode?> NoParameters = new Dictionary<string, JsonNode?>();
}
