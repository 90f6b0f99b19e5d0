namespace TokenFunction.Telemetry;

/// <summary>
/// The names operators query: the service's Meter and ActivitySource, every instrument and attribute. The
/// workbook and alert rules in infra/monitoring are checked against these constants, so rename here and there together.
/// Instrument names follow OpenTelemetry's conventions: a dotted namespace, lower snake case, units in UCUM
/// (seconds for durations, <c>{thing}</c> for counts), no unit or <c>_total</c> in the name.
/// </summary>
internal static class TelemetryNames
{
    public const string MeterName = "TokenFunction";
    public const string ActivitySourceName = "TokenFunction";

    /// <summary>The isolated worker's own source: one span per function invocation.</summary>
    public const string FunctionsWorkerActivitySource = "Microsoft.Azure.Functions.Worker";

    /// <summary>
    /// The Azure SDK's sources (Key Vault, its HTTP pipeline). They emit only with the runtime switch
    /// <c>Azure.Experimental.EnableActivitySource</c>, which TokenFunction.csproj sets in the runtime configuration
    /// (the SDK reads it once, so it must be on before any client exists).
    /// </summary>
    public const string AzureSdkActivitySources = "Azure.*";

    public const string TokensIssued = "token_function.tokens.issued";
    public const string RequestsRefused = "token_function.requests.refused";
    public const string MintDuration = "token_function.token.mint.duration";
    public const string SigningCredentialsAge = "token_function.signing_credentials.age";

    /// <summary>Days until the Key Vault pair's expiry date (UCUM unit <c>d</c>); negative once past it.</summary>
    public const string SigningCredentialsTimeToExpiry = "token_function.signing_credentials.time_to_expiry";
    public const string KeyVaultRefreshFailures = "token_function.key_vault.refresh.failures";
    public const string VideoSdkRequestDuration = "token_function.videosdk.request.duration";
    public const string OpenIdMetadataFetches = "token_function.openid.metadata.fetches";
    public const string RateLimitFallbacks = "token_function.rate_limit.fallbacks";

    /// <summary>Every instrument, for the cross-check against infra/monitoring.</summary>
    public static IReadOnlyList<string> Instruments { get; } =
    [
        TokensIssued, RequestsRefused, MintDuration, SigningCredentialsAge, SigningCredentialsTimeToExpiry, KeyVaultRefreshFailures,
        VideoSdkRequestDuration, OpenIdMetadataFetches, RateLimitFallbacks,
    ];

    /// <summary>Attribute keys. Every value is drawn from a small, fixed or configured set: never an id, address or credential.</summary>
    internal static class Attributes
    {
        /// <summary>The granted permissions, sorted and comma-joined ("allow_join", "allow_join,allow_mod").</summary>
        public const string Permissions = "token.permissions";
        public const string RoomBound = "token.room_bound";

        /// <summary>The settings that granted the permissions (policy rule names from configuration).</summary>
        public const string GrantedBy = "token.granted_by";

        /// <summary><c>bearer</c> or <c>anonymous</c>.</summary>
        public const string CallerMode = "caller.mode";
        public const string StatusCode = "http.response.status_code";

        /// <summary>OpenTelemetry's failure attribute: the problem's error code, or a failure class; absent on success.</summary>
        public const string ErrorType = "error.type";
        public const string VideoSdkOperation = "videosdk.operation";
    }
}
