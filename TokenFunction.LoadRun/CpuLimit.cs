using System.Globalization;

namespace TokenFunction.LoadRun;

/// <summary>
/// A CPU cgroup of its own with a quota of <see cref="Cores"/> (cgroup v2 <c>cpu.max</c>, or v1
/// <c>cpu.cfs_quota_us</c> where the cpu controller is still mounted as v1), into which <see cref="Launcher"/>
/// puts each measured server process before it runs: what a Flex Consumption instance size's CPU share does to
/// the worker. Needs root. The host stand-in, the stand-ins and the load client stay outside it.
/// </summary>
internal sealed class CpuLimit : IDisposable
{
    private const int PeriodMicroseconds = 100_000;

    private readonly string _group;
    private readonly string _scripts = System.IO.Directory.CreateTempSubdirectory("loadrun-cpu-limit-").FullName;

    private CpuLimit(string group, double cores)
    {
        _group = group;
        Cores = cores;
    }

    public double Cores { get; }

    public static CpuLimit Create(double cores)
    {
        var quota = (int)Math.Round(cores * PeriodMicroseconds);
        var name = $"tokenfunction-loadrun-{Environment.ProcessId}";
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers") && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("cpu"))
        {
            var group = System.IO.Directory.CreateDirectory(Path.Combine("/sys/fs/cgroup", name)).FullName;
            File.WriteAllText(Path.Combine(group, "cpu.max"), $"{quota} {PeriodMicroseconds}");
            return new CpuLimit(group, cores);
        }

        if (File.Exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
        {
            var group = System.IO.Directory.CreateDirectory(Path.Combine("/sys/fs/cgroup/cpu", name)).FullName;
            File.WriteAllText(Path.Combine(group, "cpu.cfs_period_us"), PeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(group, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
            return new CpuLimit(group, cores);
        }

        throw new InvalidOperationException("--cpu-limit needs a CPU cgroup controller (cgroup v2 with cpu enabled, or v1 mounted at /sys/fs/cgroup/cpu) and root.");
    }

    /// <summary>
    /// A script that moves itself into the cgroup and then becomes <paramref name="executable"/> with the same
    /// arguments: the process is limited from its first instruction, its threads and children with it.
    /// </summary>
    public string Launcher(string executable)
    {
        var script = Path.Combine(_scripts, Path.GetFileName(executable) + "-limited");
        if (!File.Exists(script))
        {
            File.WriteAllText(script, $"#!/bin/sh\necho $$ > '{Path.Combine(_group, "cgroup.procs")}'\nexec '{executable}' \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return script;
    }

    public void Dispose()
    {
        System.IO.Directory.Delete(_scripts, recursive: true);
        // Empty once every limited process has exited; a straggler keeps it, and it costs nothing.
        try
        {
            System.IO.Directory.Delete(_group);
        }
        catch (IOException)
        {
        }
    }
}
