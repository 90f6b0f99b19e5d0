namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// Every client the provider knows, with the token shapes real providers produce: Entra-style top-level
/// <c>roles</c>, Keycloak's nested realm and client roles, Auth0's namespaced claim, odd subjects.
/// </summary>
public static class ProviderClients
{
    /// <summary>The Keycloak client whose client roles <c>resource_access.&lt;client&gt;.roles</c> holds; a dot in it on purpose.</summary>
    public const string KeycloakClientId = "videosdk.web";

    /// <summary>Auth0 puts custom claims under a namespace URL: the claim's own name holds dots and slashes.</summary>
    public const string Auth0RolesClaim = "https://example.com/roles";

    /// <summary>No roles: a plain signed-in caller.</summary>
    public static readonly ProviderClient Alice = new("alice-123");

    public static readonly ProviderClient Bob = new("bob-456");

    /// <summary>Entra ID style: a top-level array of app roles.</summary>
    public static readonly ProviderClient Moderator = new("mod-7", Claims: new { roles = new[] { "moderator", "unmapped" } });

    public static readonly ProviderClient Host = new("host-1", Claims: new { roles = new[] { "viewer", "host" } });

    public static readonly ProviderClient Viewer = new("viewer-1", Claims: new { roles = new[] { "viewer" } });

    /// <summary>Role names are case-sensitive: <c>HOST</c> is not <c>host</c>.</summary>
    public static readonly ProviderClient UpperCaseHost = new("host-upper", Claims: new { roles = new[] { "HOST" } });

    /// <summary>One role as a plain string rather than an array.</summary>
    public static readonly ProviderClient SingleRoleString = new("mod-8", Claims: new { roles = "moderator" });

    /// <summary>Roles as one space-separated string, the way <c>scope</c> is written.</summary>
    public static readonly ProviderClient SpaceSeparatedRoles = new("mod-9", Claims: new { roles = "viewer moderator" });

    /// <summary>Keycloak: realm roles in <c>realm_access.roles</c>, client roles in <c>resource_access.&lt;client&gt;.roles</c>.</summary>
    public static readonly ProviderClient Keycloak = new("kc-user-1", Claims: new Dictionary<string, object>
    {
        ["realm_access"] = new { roles = new[] { "moderator", "offline_access" } },
        ["resource_access"] = new Dictionary<string, object>
        {
            [KeycloakClientId] = new { roles = new[] { "host" } },
            ["account"] = new { roles = new[] { "manage-account" } },
        },
        ["preferred_username"] = "kc.user",
    });

    /// <summary>Auth0: roles under a namespaced claim name.</summary>
    public static readonly ProviderClient Auth0 = new("auth0|abc123", Claims: new Dictionary<string, object>
    {
        [Auth0RolesClaim] = new[] { "moderator" },
    });

    /// <summary>A claim literally named <c>realm_access.roles</c> next to the nested one: the whole name wins.</summary>
    public static readonly ProviderClient DottedNameAndNested = new("dotted-1", Claims: new Dictionary<string, object>
    {
        ["realm_access.roles"] = new[] { "moderator" },
        ["realm_access"] = new { roles = new[] { "host" } },
    });

    /// <summary>The participant id from a nested claim rather than <c>sub</c>.</summary>
    public static readonly ProviderClient NestedParticipantId = new("nested-id-client", Claims: new { user = new { id = "u-42" } });

    public static readonly ProviderClient NullSubject = new("null-sub", Overrides: new { sub = (string?)null });

    public static readonly ProviderClient NumericSubject = new("numeric-sub", Overrides: new { sub = 12345 });

    /// <summary>A subject no participant id may be (a space and a slash).</summary>
    public static readonly ProviderClient UnusableSubject = new("unusable-sub", Overrides: new { sub = "user 1/admin" });

    public static readonly ProviderClient NoSubject = new("no-sub", Omit: ["sub"]);

    /// <summary>Beyond the app's 2-minute clock skew on either side.</summary>
    public static readonly ProviderClient Expired = new("expired-1", Lifetime: (-7200, -180));

    public static readonly ProviderClient NotYetValid = new("early-1", Lifetime: (300, 900));

    /// <summary>
    /// The claim-shape corpus: for the participant claim (<c>sub</c>) and the roles claim, every JSON type and shape
    /// a provider could put there, one client each (id <c>shape-{claim}-{n}</c>), signed by the provider like any other.
    /// </summary>
    public static readonly IReadOnlyList<(string Claim, string Json, ProviderClient Client)> ClaimShapes =
    [
        .. new[] { "null", "42", "-1", "1.5", "true", "false", "{}", "{\"id\":\"alice\"}", "[]", "[\"alice\"]", "\"\"", $"\"{new string('a', 129)}\"" }
            .Select((json, i) => ("sub", json, new ProviderClient($"shape-sub-{i}", Overrides: ClaimOf("sub", json)))),
        .. new[] { "null", "42", "true", "{}", "{\"role\":\"moderator\"}", "[\"moderator\",1]", "[\"moderator\",null]", "[[\"moderator\"]]",
                "[{\"name\":\"moderator\"}]", "[\"moderator\",true]", "\"\"", "[\"\"]", "[]", $"\"{new string('m', 129)}\"" }
            .Select((json, i) => ("roles", json, new ProviderClient($"shape-roles-{i}", Claims: ClaimOf("roles", json)))),
    ];

    public static readonly IReadOnlyList<ProviderClient> All =
    [
        Alice, Bob, Moderator, Host, Viewer, UpperCaseHost, SingleRoleString, SpaceSeparatedRoles, Keycloak, Auth0, DottedNameAndNested,
        NestedParticipantId, NullSubject, NumericSubject, UnusableSubject, NoSubject, Expired, NotYetValid,
        .. ClaimShapes.Select(s => s.Client),
    ];

    private static Dictionary<string, System.Text.Json.JsonElement> ClaimOf(string claim, string json) =>
        new() { [claim] = System.Text.Json.JsonDocument.Parse(json).RootElement.Clone() };

    public static ProviderClient ById(string id) => All.Single(c => c.Id == id);
}
