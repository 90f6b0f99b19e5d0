using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

/// <summary>
/// Loaded into the worker (DOTNET_STARTUP_HOOKS, set by the load run only) to time its start-up from the
/// inside without touching the app: the hook runs just before Main, and the generic host announces the
/// start and end of its Build() on a DiagnosticListener. Each moment goes to stderr as a Stopwatch
/// timestamp, which on Linux is CLOCK_MONOTONIC and so comparable with the load run's own.
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime looks for a StartupHook type without namespace.")]
public static class StartupHook
{
    public const string Prefix = "[startup-timeline] ";

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
    }

    private static void Mark(string moment) => Console.Error.WriteLine(Prefix + moment + " " + Stopwatch.GetTimestamp());

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
}
