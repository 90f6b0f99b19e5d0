using System.Threading.Channels;
using Azure;
using Azure.Security.KeyVault.Secrets;
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
    private string? _heldName;
    private int _reads;
    private int _cancelledReads;
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

    /// <summary>Held reads their caller gave up on (the read's timeout), rather than left waiting on the vault.</summary>
    public int CancelledReads => Volatile.Read(ref _cancelledReads);

    /// <summary>While true every read is answered 503.</summary>
    public bool Failing { get; set; }

    /// <summary>The value every successful read returns.</summary>
    public string Secret { get; set; } = "vault-secret-0123456789abcdef0123456789abcdef";

    /// <summary>
    /// Holds every read from now on until <see cref="Release"/> (or its caller cancels it), or only the reads of
    /// <paramref name="name"/>: the others are answered at once.
    /// </summary>
    public void Hold(string? name = null)
    {
        _heldName = name;
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

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
        if (_hold is { } hold && (_heldName is null || _heldName == name))
        {
            try
            {
                await hold.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelledReads);
                throw;
            }
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
