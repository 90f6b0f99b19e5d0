using TokenFunction.Callers;
using TokenFunction.Problems;
using TokenFunction.Secrets;

namespace TokenFunction.Functions;

/// <summary>
/// What <c>GET /api/health</c> answers, from state already in memory (it never reads the vault or the identity
/// provider), worked out at most once per <see cref="CacheFor"/> however often anyone asks.
/// </summary>
/// <remarks>Public only because the health function's constructor takes it; built by the composition, not by DI's activator.</remarks>
public sealed class HealthProbe
{
    private readonly ISigningCredentialsProvider _credentials;
    private readonly ICallerAuthenticator _callers;
    private readonly TimeProvider _time;

    internal HealthProbe(ISigningCredentialsProvider credentials, ICallerAuthenticator callers, TimeProvider time)
    {
        _credentials = credentials;
        _callers = callers;
        _time = time;
    }

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private Snapshot? _last;

    private sealed record Snapshot(HealthResponse Answer, DateTimeOffset At);

    internal HealthResponse Check()
    {
        var now = _time.GetUtcNow();
        var last = Volatile.Read(ref _last);
        if (last is not null && now - last.At < CacheFor)
        {
            return last.Answer;
        }

        var answer = Evaluate();
        Volatile.Write(ref _last, new Snapshot(answer, now));
        return answer;
    }

    private HealthResponse Evaluate()
    {
        var signing = _credentials.GetHealth();
        if (!signing.Ready)
        {
            // Loaded once and now too old, or never loaded: the two states an operator acts on differently.
            return HealthResponse.Unhealthy(signing.LoadedAt is null ? HealthReasons.CredentialsUnavailable : HealthReasons.CredentialsStale);
        }

        return _callers.AuthorityUnavailable ? HealthResponse.Unhealthy(HealthReasons.CallerAuthorityUnavailable) : HealthResponse.Healthy;
    }
}
