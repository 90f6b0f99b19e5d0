using System.Diagnostics;
using System.Diagnostics.Metrics;
using TokenFunction.Problems;

namespace TokenFunction.Telemetry;

/// <summary>
/// The service's one Meter and its instruments. Callers pass only bounded values (permission names, rule names,
/// error codes, failure classes): participant, caller and room ids and addresses belong to the audit log line, not here.
/// </summary>
public sealed class ServiceMetrics
{
    // Minting takes microseconds, VideoSDK calls tens to thousands of milliseconds: OpenTelemetry's default
    // boundaries (made for milliseconds) would put every mint in the first bucket.
    private static readonly IReadOnlyList<double> MintBuckets = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 1e-3, 1e-2];
    private static readonly IReadOnlyList<double> UpstreamBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

    private readonly Meter _meter;
    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _requestsRefused;
    private readonly Histogram<double> _mintDuration;
    private readonly Counter<long> _vaultRefreshFailures;
    private readonly Histogram<double> _videoSdkDuration;
    private readonly Counter<long> _openIdFetches;
    private readonly Counter<long> _rateLimitFallbacks;

    // The factory owns (and disposes) the meter.
    public ServiceMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(TelemetryNames.MeterName);
        _tokensIssued = _meter.CreateCounter<long>(TelemetryNames.TokensIssued, "{token}", "VideoSDK tokens issued.");
        _requestsRefused = _meter.CreateCounter<long>(TelemetryNames.RequestsRefused, "{request}",
            "Requests answered with a problem (4xx/5xx), by status and error code.");
        _mintDuration = _meter.CreateHistogram(TelemetryNames.MintDuration, "s", "Time to sign one token.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MintBuckets });
        _vaultRefreshFailures = _meter.CreateCounter<long>(TelemetryNames.KeyVaultRefreshFailures, "{failure}",
            "Failed reads of the signing credentials from Key Vault, by failure class.");
        _videoSdkDuration = _meter.CreateHistogram(TelemetryNames.VideoSdkRequestDuration, "s",
            "VideoSDK room API calls, retries included, by operation and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = UpstreamBuckets });
        _openIdFetches = _meter.CreateCounter<long>(TelemetryNames.OpenIdMetadataFetches, "{fetch}",
            "Fetches of the caller authority's OpenID discovery document and key set.");
        _rateLimitFallbacks = _meter.CreateCounter<long>(TelemetryNames.RateLimitFallbacks, "{check}",
            "Rate-limit checks decided by the instance's own bucket because the shared one (Redis) failed or was too slow, by failure class.");
    }

    public void TokenIssued(IReadOnlyList<string> permissions, bool roomBound, IReadOnlyList<string> grantedBy, bool bearerCaller) =>
        _tokensIssued.Add(1, new TagList
        {
            { TelemetryNames.Attributes.Permissions, JoinSorted(permissions) },
            { TelemetryNames.Attributes.RoomBound, roomBound },
            { TelemetryNames.Attributes.GrantedBy, JoinSorted(grantedBy) },
            { TelemetryNames.Attributes.CallerMode, bearerCaller ? "bearer" : "anonymous" },
        });

    public void RequestRefused(ErrorCode error) =>
        _requestsRefused.Add(1,
            new KeyValuePair<string, object?>(TelemetryNames.Attributes.StatusCode, (int)error.Status),
            new KeyValuePair<string, object?>(TelemetryNames.Attributes.ErrorType, error.Code));

    /// <summary>From a <see cref="Stopwatch.GetTimestamp"/> taken before signing.</summary>
    public void Minted(long startTimestamp) => _mintDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    /// <param name="failureClass">A short fixed name ("forbidden_by_rbac", "network"...), never a message.</param>
    public void KeyVaultRefreshFailed(string failureClass) =>
        _vaultRefreshFailures.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Attributes.ErrorType, failureClass));

    /// <summary>The age gauge reads <paramref name="age"/> at each collection; null while nothing has loaded.</summary>
    public void ObserveSigningCredentialsAge(Func<TimeSpan?> age) =>
        _meter.CreateObservableGauge(TelemetryNames.SigningCredentialsAge,
            () => age() is { } value ? [new Measurement<double>(value.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Seconds since the signing credentials were last loaded successfully.");

    /// <summary>
    /// The expiry gauge reads <paramref name="timeToExpiry"/> at each collection, in days; null while nothing has
    /// loaded or the pair has no expiry date. It goes negative past the date: Key Vault still serves an expired
    /// secret and the app keeps signing with it, so the date is reported, never enforced.
    /// </summary>
    public void ObserveSigningCredentialsTimeToExpiry(Func<TimeSpan?> timeToExpiry) =>
        _meter.CreateObservableGauge(TelemetryNames.SigningCredentialsTimeToExpiry,
            () => timeToExpiry() is { } value ? [new Measurement<double>(value.TotalDays)] : Array.Empty<Measurement<double>>(),
            "d", "Days until the signing credentials' expiry date in Key Vault; negative once past it.");

    /// <param name="errorCode">The problem's code when the call failed; null when it succeeded.</param>
    public void VideoSdkCalled(string operation, long startTimestamp, string? errorCode)
    {
        var tags = new TagList { { TelemetryNames.Attributes.VideoSdkOperation, operation } };
        if (errorCode is not null)
        {
            tags.Add(TelemetryNames.Attributes.ErrorType, errorCode);
        }

        _videoSdkDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    /// <param name="failure">The exception type's name when the fetch failed; null when it succeeded.</param>
    public void OpenIdMetadataFetched(string? failure)
    {
        if (failure is null)
        {
            _openIdFetches.Add(1);
        }
        else
        {
            _openIdFetches.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Attributes.ErrorType, failure));
        }
    }

    /// <param name="failureClass">A short fixed name ("timeout", "connection"...), never a message.</param>
    public void RateLimitFellBack(string failureClass) =>
        _rateLimitFallbacks.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Attributes.ErrorType, failureClass));

    private static string JoinSorted(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : string.Join(',', values.Order(StringComparer.Ordinal));
}
