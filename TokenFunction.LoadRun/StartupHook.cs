using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Runtime.InteropServices;

/// <summary>
/// Loaded into the worker (DOTNET_STARTUP_HOOKS, set by the load run only) to time its start-up from the
/// inside without touching the app: the hook runs just before Main, and the generic host announces the
/// start and end of its Build() on a DiagnosticListener. Each moment goes to stderr as a Stopwatch
/// timestamp, which on Linux is CLOCK_MONOTONIC and so comparable with the load run's own, with the counters that
/// a busy machine does not move: the process's and the thread's CPU time, the methods the JIT compiled so far
/// (what ReadyToRun left to it) and the bytes allocated so far.
/// <para>
/// With <see cref="TraceSetting"/> it also traces what the cold start waits on: the runtime's networking events
/// (DNS, TCP connect, TLS handshake, each HTTP request: the managed-identity token, every Key Vault GET, the gRPC
/// stream to the host), the Azure SDK's request and token events, and the worker's and the app's spans (the
/// credentials read, each invocation). Events only, never payloads that could hold a secret: names, URLs without
/// their query, status codes.
/// </para>
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime looks for a StartupHook type without namespace.")]
public static class StartupHook
{
    public const string Prefix = "[startup-timeline] ";

    /// <summary>The worker setting (environment variable) that turns the trace on: "true".</summary>
    public const string TraceSetting = "LOADRUN_TRACE_STARTUP";

    [SuppressMessage("Usage", "CA2213", Justification = "Lives as long as the process.")]
    private static StartupEventListener? _events;

    public static void Initialize()
    {
        Mark("main");
        DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e => Mark(e.Key)));
            }
        }));

        if (Environment.GetEnvironmentVariable(TraceSetting) == "true")
        {
            _events = new StartupEventListener();
            ActivitySource.AddActivityListener(new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Microsoft.Azure.Functions.Worker" or "TokenFunction",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
                ActivityStarted = activity => Mark("span-start", activity.OperationName),
                ActivityStopped = activity => Mark("span-stop", activity.OperationName),
            });
        }
    }

    /// <summary>One line: moment, timestamp, process CPU µs, this thread's CPU µs, thread id, methods jitted, bytes allocated, detail.</summary>
    internal static void Mark(string moment, string? detail = null) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{moment} {Stopwatch.GetTimestamp()} {(long)Environment.CpuUsage.TotalTime.TotalMicroseconds} {ThreadCpuMicroseconds()} " +
            $"{Environment.CurrentManagedThreadId} {System.Runtime.JitInfo.GetCompiledMethodCount()} {GC.GetTotalAllocatedBytes()} {detail}"));

    private static long ThreadCpuMicroseconds() => clock_gettime(ClockThreadCpuTime, out var now) == 0 ? now.Seconds * 1_000_000 + now.Nanoseconds / 1_000 : -1;

    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    [SuppressMessage("Interoperability", "SYSLIB1054", Justification = "A startup hook stays free of generated interop.")]
    [SuppressMessage("Style", "IDE1006", Justification = "The C name.")]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    private sealed class Observer<T>(Action<T> onNext) : IObserver<T>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => onNext(value);
    }

    /// <summary>
    /// The networking and Azure SDK events, written on the thread that raised them (EventSource events reach an
    /// EventListener synchronously), so the thread CPU beside each is that thread's.
    /// </summary>
    private sealed class StartupEventListener : EventListener
    {
        private static readonly HashSet<string> Sources =
            ["System.Net.Http", "System.Net.Security", "System.Net.Sockets", "System.Net.NameResolution", "Azure-Core", "Azure-Identity"];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (Sources.Contains(eventSource.Name))
            {
                // Informational: no message bodies (Azure-Core writes those at Verbose).
                EnableEvents(eventSource, EventLevel.Informational);
            }
        }

        // The moments that bound a wait or a piece of work; the rest (header and content events) would only add lines.
        private static readonly HashSet<string> Moments =
        [
            "RequestStart", "RequestStop", "RequestFailed", "ConnectionEstablished", "HandshakeStart", "HandshakeStop", "HandshakeFailed",
            "ConnectStart", "ConnectStop", "ResolutionStart", "ResolutionStop", "Request", "Response", "ErrorResponse", "RequestRetrying",
            "GetToken", "GetTokenSucceeded", "GetTokenFailed",
        ];

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is null || !Moments.Contains(e.EventName))
            {
                return;
            }

            Mark($"{e.EventSource.Name}/{e.EventName}", Describe(e));
        }

        private static string? Describe(EventWrittenEventArgs e)
        {
            object? Field(string name) => e.PayloadNames?.IndexOf(name) is >= 0 and var i ? e.Payload![i] : null;
            static string WithoutQuery(object? uri) => uri?.ToString()?.Split('?')[0] ?? "";
            static string WithoutPort(string uri) => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? $"{parsed.Scheme}://{parsed.Host}{parsed.AbsolutePath}" : uri;
            return (e.EventSource.Name, e.EventName) switch
            {
                // Host and path without the port: the stand-ins' ports differ from worker to worker.
                ("System.Net.Http", "RequestStart") => $"{Field("host")}{WithoutQuery(Field("pathAndQuery"))}",
                ("System.Net.Http", "RequestStop") => Field("statusCode")?.ToString(),
                ("System.Net.Security", "HandshakeStart") => Field("targetHost")?.ToString(),
                ("Azure-Core", "Request") => $"{Field("method")} {WithoutPort(WithoutQuery(Field("uri")))}",
                ("Azure-Core", "Response" or "ErrorResponse") => Field("status")?.ToString(),
                ("Azure-Identity", _) => Field("fullyQualifiedMethodName")?.ToString() ?? Field("method")?.ToString(),
                _ => null,
            };
        }
    }
}
