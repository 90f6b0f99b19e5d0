using System.Diagnostics;

namespace TokenFunction.Telemetry;

/// <summary>The service's own spans, for work no request starts (the background Key Vault refresh), so the Azure SDK's spans have a parent that names why.</summary>
internal static class ServiceActivities
{
    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySourceName);

    public const string RefreshSigningCredentials = "refresh signing credentials";

    /// <summary>
    /// Set on an outgoing request whose path holds an identifier (a room id): the HTTP span then records this
    /// template ("v2/rooms/validate/{roomId}") as its path instead of the real one.
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> UrlTemplate = new("TokenFunction.Telemetry.UrlTemplate");
}
