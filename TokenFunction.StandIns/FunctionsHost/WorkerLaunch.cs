using System.Globalization;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>The command line and environment the Functions host gives an isolated worker it starts.</summary>
public sealed record WorkerLaunch(string Executable, IReadOnlyList<string> Arguments, string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment, string WorkerId)
{
    // What the host passes as --functions-grpc-max-message-length (int.MaxValue).
    private const int GrpcMaxMessageLength = int.MaxValue;

    public static WorkerLaunch For(FunctionAppBuildOutput app, Uri hostUri, IReadOnlyDictionary<string, string> appSettings)
    {
        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        var maxLength = GrpcMaxMessageLength.ToString(CultureInfo.InvariantCulture);

        // The host sends both spellings: the old ones for older workers, --functions-* for current ones.
        string[] arguments =
        [
            app.WorkerPath,
            "--host", hostUri.Host, "--port", hostUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", maxLength,
            "--functions-uri", hostUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", maxLength,
        ];

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        };
        foreach (var (name, value) in appSettings)
        {
            environment[name] = value;
        }

        // The host owns these; a settings file cannot move them.
        environment["FUNCTIONS_APPLICATION_DIRECTORY"] = app.Directory;
        environment["FUNCTIONS_WORKER_DIRECTORY"] = app.Directory;
        return new WorkerLaunch(app.ExecutablePath, arguments, app.Directory, environment, workerId);
    }
}
