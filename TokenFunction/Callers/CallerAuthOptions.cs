namespace TokenFunction.Callers;

/// <summary>Who may ask for tokens: callers signed in with an OpenID Connect provider, or, on purpose, anyone.</summary>
internal sealed class CallerAuthOptions
{
    public const string SectionName = "CallerAuth";

    /// <summary>
    /// The provider's issuer URL, for example <c>https://login.microsoftonline.com/{tenant-id}/v2.0</c>; its
    /// discovery document is read from <c>{Authority}/.well-known/openid-configuration</c>. Empty: anonymous mode.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Accepted <c>aud</c> values of caller tokens (your API's client id or App ID URI); at least one with an authority.</summary>
    public string[] Audiences { get; set; } = [];

    /// <summary>
    /// The claim that becomes the token's participantId (a JSON string). Entra ID: <c>oid</c> is stable across
    /// apps; <c>sub</c> is per app. A claim name, or a path with dots into nested claims (see <see cref="RolesClaim"/>).
    /// </summary>
    public string ParticipantIdClaim { get; set; } = "sub";

    /// <summary>
    /// The claim holding the caller's roles or groups: an array of strings, or one string of roles separated by
    /// spaces. A claim name matched whole first (Auth0's <c>https://example.com/roles</c>), else a path with dots
    /// into nested claims (Keycloak's <c>realm_access.roles</c>, <c>resource_access.&lt;client-id&gt;.roles</c>).
    /// </summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>Tolerated clock difference between the provider and this app when checking exp and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Per role (a value of <see cref="RolesClaim"/>): permissions granted beyond <c>Tokens:AllowedPermissions</c>.</summary>
    public Dictionary<string, RoleGrantOptions> Roles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Without an authority the endpoint hands tokens to anyone who can reach it. In Azure that needs this
    /// switch, so an open endpoint is always somebody's explicit decision, never a forgotten setting.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    public bool HasAuthority => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>OpenID Connect Discovery 1.0, section 4: the issuer URL plus the well-known path.</summary>
    public string MetadataAddress => Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
}
