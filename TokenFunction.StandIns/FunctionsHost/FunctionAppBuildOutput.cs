using System.Reflection;
using System.Text.Json;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// The built function app as the Functions host sees it: a folder holding worker.config.json, which
/// names the program to start and the assembly to give it.
/// </summary>
public sealed record FunctionAppBuildOutput(string Directory, string ExecutablePath, string WorkerPath)
{
    /// <summary>Set on this library by its project file from its project reference, so no path is guessed at run time.</summary>
    public const string TargetPathMetadataKey = "FunctionAppTargetPath";

    /// <summary>The app this library's project references (TokenFunction), built in the same Configuration.</summary>
    public static FunctionAppBuildOutput FromAssemblyMetadata() => FromAssemblyMetadata(typeof(FunctionAppBuildOutput).Assembly, TargetPathMetadataKey);

    /// <summary>Another app's target path, recorded as <c>[AssemblyMetadata(metadataKey, path)]</c> on <paramref name="assembly"/> (the load run's floor app).</summary>
    public static FunctionAppBuildOutput FromAssemblyMetadata(Assembly assembly, string metadataKey)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var targetPath = assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == metadataKey)?.Value;
        if (string.IsNullOrWhiteSpace(targetPath))
        {
            throw new InvalidOperationException(
                $"No [AssemblyMetadata(\"{metadataKey}\")] on {assembly.GetName().Name}: record the app's target path in its project file.");
        }

        return FromDirectory(Path.GetDirectoryName(targetPath)!);
    }

    public static FunctionAppBuildOutput FromDirectory(string directory)
    {
        // The worker runs in this directory: a relative path would be resolved twice.
        directory = Path.GetFullPath(directory);
        var configPath = Path.Combine(directory, "worker.config.json");
        if (!File.Exists(configPath))
        {
            throw new InvalidOperationException(
                $"{configPath} does not exist: build the function app first (dotnet build TokenFunctions.sln builds it with the tests).");
        }

        using var config = JsonDocument.Parse(File.ReadAllText(configPath));
        var description = config.RootElement.GetProperty("description");
        var executable = description.GetProperty("defaultExecutablePath").GetString()!;
        var workerPath = Path.Combine(directory, description.GetProperty("defaultWorkerPath").GetString()!);
        return new FunctionAppBuildOutput(directory, ResolveExecutable(executable), workerPath);
    }

    /// <summary>The route prefix the host puts before every HTTP route, from the app's host.json.</summary>
    public string ReadRoutePrefix()
    {
        var hostJsonPath = Path.Combine(Directory, "host.json");
        if (!File.Exists(hostJsonPath))
        {
            return DefaultRoutePrefix;
        }

        using var hostJson = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? string.Empty
            : DefaultRoutePrefix;
    }

    private const string DefaultRoutePrefix = "api";

    // "dotnet" in worker.config.json means the muxer; prefer the one running us so a machine with
    // several SDKs starts the worker on the same runtime the tests were built with.
    private static string ResolveExecutable(string executable) =>
        executable == "dotnet" && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath
            ? hostPath
            : executable;
}
