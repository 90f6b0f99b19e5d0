using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports every timer armed on it, with its due time: the delay the
/// code chose (the Key Vault refresh loop's wait, a resilience pipeline's retry delay). A test waits for the
/// code to arm its timer instead of guessing how long that takes, then advances by exactly that.
/// </summary>
internal sealed class ScheduleClock(DateTimeOffset start) : TimeProvider
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public ScheduleClock()
        : this(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public FakeTimeProvider Fake { get; } = new(start);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        _armed.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Timers of these lengths are passed over by <see cref="NextTimerAsync()"/>: those armed beside the waits a test
    /// follows, such as the bound a read puts on itself (Key Vault's fetch timeout) or the refusal summary's window
    /// (armed when the app writes its first answer). Give them lengths no followed wait has.
    /// </summary>
    public IReadOnlyCollection<TimeSpan> PassOver { get; init; } = [];

    /// <summary>The due time of the next timer armed but <see cref="PassOver"/> (bounded only against a hang).</summary>
    public Task<TimeSpan> NextTimerAsync() => NextTimerAsync(due => !PassOver.Contains(due), CancellationToken.None);

    /// <summary>The due time of the next timer armed that <paramref name="which"/> selects; others armed before it are passed over.</summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> which, CancellationToken cancellationToken)
    {
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hang.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var dueTime = await _armed.Reader.ReadAsync(hang.Token);
            if (which(dueTime))
            {
                return dueTime;
            }
        }
    }

    public void Advance(TimeSpan by) => Fake.Advance(by);
}
