using System.Collections.Concurrent;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>Where a line the worker produced came from.</summary>
public enum WorkerLogSource
{
    /// <summary>An RpcLog message on the gRPC stream (ILogger output, as the host receives it).</summary>
    Rpc,

    /// <summary>A line the worker process wrote to stdout or stderr.</summary>
    Console,

    /// <summary>The exception of a failed invocation, which the host would log.</summary>
    InvocationFailure,
}

public sealed record WorkerLogEntry(WorkerLogSource Source, string Level, string Category, string Message, string? Exception)
{
    /// <summary>All the text of the entry, for "does any log contain X" checks.</summary>
    public string FullText => $"{Level} {Category} {Message} {Exception}";

    public override string ToString() => $"[{Source}/{Level}] {Category}: {Message}{(Exception is null ? "" : " | " + Exception)}";
}

/// <summary>
/// Everything the worker logged, readable by tests while the worker runs. Bounded, so a load run of
/// many thousand requests cannot grow it without limit; <see cref="Dropped"/> says when that happened.
/// </summary>
public sealed class WorkerLogSink
{
    private readonly ConcurrentQueue<WorkerLogEntry> _entries = new();
    private readonly int _capacity;
    private int _count;
    private long _dropped;

    public WorkerLogSink(int capacity = 200_000) => _capacity = capacity;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(WorkerLogEntry entry)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _entries.Enqueue(entry);
    }

    public IReadOnlyList<WorkerLogEntry> Snapshot() => _entries.ToArray();

    /// <summary>The last lines, for error messages (a worker that fails to start says why on stderr).</summary>
    public string Tail(int lines = 40) =>
        string.Join(Environment.NewLine, _entries.ToArray().TakeLast(lines).Select(e => e.ToString()));
}
