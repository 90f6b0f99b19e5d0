namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// The host's CORS policy, as local.settings.json's <c>Host</c> section gives it to Core Tools (<c>CORS</c>: origins
/// separated by commas; <c>CORSCredentials</c>) and as the platform applies <c>siteConfig.cors</c>: a listed origin
/// gets <c>Access-Control-Allow-Origin</c> and its preflight is answered with any method and any requested header;
/// no response header is exposed beyond the CORS-safelisted ones (neither Core Tools nor the host calls
/// <c>WithExposedHeaders</c>), so a page cannot read <c>Retry-After</c>. An origin not listed gets no CORS header.
/// </summary>
/// <param name="AllowedOrigins">Exact origins (scheme, host, port); "*" for any.</param>
/// <param name="SupportCredentials">Access-Control-Allow-Credentials: true (cookies); refused with "*".</param>
public sealed record HostCors(IReadOnlyList<string> AllowedOrigins, bool SupportCredentials = false)
{
    /// <summary>
    /// The origins of a <c>Host.CORS</c> value (or the azd environment's <c>CORS_ALLOWED_ORIGINS</c>): split on commas,
    /// each trimmed, empty entries dropped. Core Tools drops empty entries but does not trim, so a space after a comma
    /// there makes an origin that never matches: write the list without spaces.
    /// </summary>
    public static IReadOnlyList<string> ParseOrigins(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
