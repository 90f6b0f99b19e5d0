using System.Runtime.InteropServices;
using TokenFunction.StandIns.FunctionsHost;

// Usage: dotnet run --project TokenFunction.HostStandIn -- [--port N] [--settings FILE] [--setting NAME=VALUE]... [--app DIR] [--url-file FILE]
// Secrets belong in the environment or the settings file, never in --setting: command lines are visible to every process.
string? appDirectory = null, urlFile = null;
var port = 0;
List<Action<FunctionsHostOptions>> settings = []; // in command-line order: a later one wins
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--port": port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--settings":
            var file = Next();
            settings.Add(o => KeepEnvironmentOverFile(o.WithSettingsFile(file)));
            break;
        case "--setting":
            var pair = Next().Split('=', 2);
            var value = pair.Length == 2 ? pair[1] : throw new ArgumentException($"--setting takes NAME=VALUE, got '{pair[0]}'.");
            settings.Add(o => o.WithSetting(pair[0], value));
            break;
        case "--app": appDirectory = Next(); break;
        case "--url-file": urlFile = Next(); break;
        default: throw new ArgumentException($"Unknown argument '{args[i]}'. See docs/host-stand-in.md.");
    }
}

var options = new FunctionsHostOptions
{
    App = appDirectory is null ? FunctionAppBuildOutput.FromAssemblyMetadata() : FunctionAppBuildOutput.FromDirectory(appDirectory),
    HttpPort = port,
};
settings.ForEach(apply => apply(options));

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

FunctionsHost host;
try
{
    host = await FunctionsHost.StartAsync(options);
}
catch (InvalidOperationException failure)
{
    await Console.Error.WriteLineAsync(failure.Message);
    return 1;
}

await using var running = host;
// The one line on stdout: scripts read the base address from it (or from --url-file, written once ready).
Console.WriteLine(host.BaseAddress);
if (urlFile is not null)
{
    await File.WriteAllTextAsync(urlFile, host.BaseAddress + Environment.NewLine);
}

await Task.WhenAny(stop.Task, host.Worker.Exited);
if (host.Worker.Exited.IsCompleted)
{
    await Console.Error.WriteLineAsync($"The worker exited with code {host.Worker.ExitCode}:{Environment.NewLine}{host.Log.Tail()}");
    return 1;
}

return 0;

// As Core Tools treats local.settings.json: a variable already in the environment is not overridden by the file.
static void KeepEnvironmentOverFile(FunctionsHostOptions options)
{
    foreach (var name in options.AppSettings.Keys.ToList())
    {
        if (Environment.GetEnvironmentVariable(name) is { } value)
        {
            options.AppSettings[name] = value;
        }
    }
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
