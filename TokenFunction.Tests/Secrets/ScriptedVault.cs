using System.Threading.Channels;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// A SecretClient whose answers the test decides, read by read: it counts every read, can hold reads until
/// released, and fails with the vault's 503 while <see cref="Failing"/>. No network, no real time: the
/// schedule tests reason about exact read counts.
/// </summary>
internal sealed class ScriptedVault
{
    private readonly Mock<SecretClient> _client = new();
    private readonly Channel<string> _readsStarted = Channel.CreateUnbounded<string>();
    private TaskCompletionSource? _hold;
    private int _reads;
    private int _version;

    public ScriptedVault()
    {
        _client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string _, CancellationToken cancellationToken) => AnswerAsync(name, cancellationToken));
        _client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string _, SecretContentType? _, CancellationToken cancellationToken) => AnswerAsync(name, cancellationToken));
    }

    public SecretClient Client => _client.Object;

    /// <summary>Reads started so far, failed ones included.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>While true every read is answered 503.</summary>
    public bool Failing { get; set; }

    /// <summary>The value every successful read returns.</summary>
    public string Secret { get; set; } = "vault-secret-0123456789abcdef0123456789abcdef";

    /// <summary>Holds every read from now on until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    /// <summary>Waits for the next read to start (bounded only against a hang, never a timing assertion).</summary>
    public async Task<string> NextReadAsync()
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _readsStarted.Reader.ReadAsync(hang.Token);
    }

    private async Task<Response<KeyVaultSecret>> AnswerAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        _readsStarted.Writer.TryWrite(name);
        if (_hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (Failing)
        {
            throw new RequestFailedException(503, "Service Unavailable");
        }

        var version = $"v{Interlocked.Increment(ref _version)}";
        var properties = SecretModelFactory.SecretProperties(name: name, version: version);
        return Response.FromValue(SecretModelFactory.KeyVaultSecret(properties, Secret), Mock.Of<Response>());
    }
}

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports every timer armed on it, with its due time: the delay the
/// refresh loop chose. A test waits for the loop to arm its timer instead of guessing how long that takes.
/// </summary>
internal sealed class ScheduleClock : TimeProvider
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

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

    /// <summary>The due time of the next timer armed (bounded only against a hang).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _armed.Reader.ReadAsync(hang.Token);
    }

    public void Advance(TimeSpan by) => Fake.Advance(by);
}
