using TokenFunction.Callers;
using TokenFunction.Problems;
using TokenFunction.Secrets;

namespace TokenFunction.Functions;

/// <summary>
/// What <c>GET /api/health</c> answers, from state already in memory (it never reads the vault or the identity
/// provider), worked out at most once per <see cref="CacheFor"/> however often anyone asks.
/// </summary>
public sealed class HealthProbe(ISigningCredentialsProvider credentials, ICallerAuthenticator callers, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private Snapshot? _last;

    private sealed record Snapshot(HealthResponse Answer, DateTimeOffset At);

    public HealthResponse Check()
    {
        var now = time.GetUtcNow();
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
        var signing = credentials.GetHealth();
        if (!signing.Ready)
        {
            // Loaded once and now too old, or never loaded: the two states an operator acts on differently.
            return HealthResponse.Unhealthy(signing.LoadedAt is null ? HealthReasons.CredentialsUnavailable : HealthReasons.CredentialsStale);
        }

        return callers.AuthorityUnavailable ? HealthResponse.Unhealthy(HealthReasons.CallerAuthorityUnavailable) : HealthResponse.Healthy;
    }
}
