using System.Runtime.Versioning;

namespace TokenFunction.Tests.StandIns;

/// <summary>
/// What a fixture does on a fresh machine: npm packages installed once per folder however many callers start at
/// once, a Debian package through apt-get, and one clear line for what it cannot install. Programs are fakes on a
/// PATH of the test's own (shell scripts that record their calls; the PATH holds nothing else, so they name
/// other programs by their full path), so nothing is installed on this machine.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PrerequisitesTests : IDisposable
{
    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("prerequisites-bin-");
    private readonly DirectoryInfo _project = Directory.CreateTempSubdirectory("prerequisites-project-");

    private string Calls => Path.Combine(_bin.FullName, "calls");

    [Fact]
    public async Task A_Node_older_than_20_fails_with_one_line_naming_it_and_the_README_section()
    {
        FakeProgram("node", "echo v18.19.0");

        var failure = await Assert.ThrowsAsync<MissingPrerequisiteException>(() => new Prerequisites(_bin.FullName).RequireNodeAsync());

        Assert.Equal($"Node.js 20 or later is needed; {_bin.FullName}/node is v18.19.0. See README.md, section \"Prerequisites\".", failure.Message);
        Assert.Null(failure.StackTrace);
    }

    [Fact]
    public async Task No_Node_on_the_path_fails_with_one_line_naming_it()
    {
        var failure = await Assert.ThrowsAsync<MissingPrerequisiteException>(() => new Prerequisites(_bin.FullName).RequireNodeAsync());

        Assert.Equal("Node.js 20 or later is needed and no node is on the PATH. See README.md, section \"Prerequisites\".", failure.Message);
    }

    [Fact]
    public async Task Npm_packages_are_not_installed_for_a_Node_too_old_to_run_them()
    {
        FakeProgram("node", "echo v16.20.2");
        FakeNpm();

        var failure = await Assert.ThrowsAsync<MissingPrerequisiteException>(() => new Prerequisites(_bin.FullName).EnsureNpmPackagesAsync(_project.FullName));

        Assert.Contains("is v16.20.2", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Calls));
    }

    [Fact]
    public async Task Npm_ci_runs_once_per_folder_when_callers_of_several_processes_start_at_once()
    {
        FakeProgram("node", "echo v20.19.2");
        FakeNpm();
        // Two instances stand for two test processes: each has its own memory of what it did, only the lock file is shared.
        var processes = new[] { new Prerequisites(_bin.FullName), new Prerequisites(_bin.FullName) };

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => processes[i % 2].EnsureNpmPackagesAsync(_project.FullName))));

        Assert.Equal([$"npm ci --no-audit --no-fund in {_project.FullName}"], File.ReadAllLines(Calls));
    }

    [Fact]
    public async Task Npm_ci_runs_again_once_the_lock_file_is_newer_than_the_installed_packages()
    {
        FakeProgram("node", "echo v22.1.0");
        FakeNpm();
        await new Prerequisites(_bin.FullName).EnsureNpmPackagesAsync(_project.FullName);
        File.SetLastWriteTimeUtc(Path.Combine(_project.FullName, "package-lock.json"), DateTime.UtcNow.AddMinutes(1));

        await new Prerequisites(_bin.FullName).EnsureNpmPackagesAsync(_project.FullName);

        Assert.Equal(2, File.ReadAllLines(Calls).Length);
    }

    [Fact]
    public async Task A_command_already_on_the_path_needs_no_package()
    {
        FakeProgram("redis-server", "exit 0");
        FakeProgram("apt-get", $"echo \"apt-get $*\" >> '{Calls}'");

        var path = await new Prerequisites(_bin.FullName).EnsureDebianPackageAsync("redis-server", "redis-server");

        Assert.Equal(Path.Combine(_bin.FullName, "redis-server"), path);
        Assert.False(File.Exists(Calls));
    }

    [Fact]
    public async Task A_missing_command_comes_from_its_Debian_package_after_a_package_list_update_when_the_process_may_install()
    {
        // A fresh machine: no package lists, so the first install fails until apt-get update has run.
        FakeProgram("apt-get", $"""
            echo "apt-get $*" >> '{Calls}'
            case "$*" in
              *update*) echo > '{_bin.FullName}/lists' ;;
              *install*) [ -f '{_bin.FullName}/lists' ] || exit 100; printf '#!/bin/sh\n' > '{_bin.FullName}/redis-server'; /bin/chmod +x '{_bin.FullName}/redis-server' ;;
            esac
            """);
        var prerequisites = new Prerequisites(_bin.FullName);

        if (!Environment.IsPrivilegedProcess)
        {
            var failure = await Assert.ThrowsAsync<MissingPrerequisiteException>(() => prerequisites.EnsureDebianPackageAsync("redis-server", "redis-server"));
            Assert.Equal("redis-server is not on the PATH and this process cannot install it (apt-get as root): install the Debian package redis-server. See README.md, section \"Prerequisites\".", failure.Message);
            return;
        }

        var path = await prerequisites.EnsureDebianPackageAsync("redis-server", "redis-server");

        Assert.Equal(Path.Combine(_bin.FullName, "redis-server"), path);
        Assert.Equal(
            [
                "apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends redis-server",
                "apt-get -o DPkg::Lock::Timeout=300 update",
                "apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends redis-server",
            ],
            File.ReadAllLines(Calls));
    }

    [Fact]
    public async Task Without_apt_get_a_missing_command_fails_with_one_line_naming_its_package()
    {
        var failure = await Assert.ThrowsAsync<MissingPrerequisiteException>(() => new Prerequisites(_bin.FullName).EnsureDebianPackageAsync("chromium", "chromium"));

        Assert.Equal("chromium is not on the PATH and this process cannot install it (apt-get as root): install the Debian package chromium. See README.md, section \"Prerequisites\".", failure.Message);
    }

    [Fact]
    public async Task A_machine_lock_is_held_until_its_holder_lets_go()
    {
        var name = "prerequisites-test-" + Guid.NewGuid();
        var first = await MachineLock.AcquireAsync(name, TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<TimeoutException>(() => MachineLock.AcquireAsync(name, TimeSpan.FromMilliseconds(300)));
        var second = MachineLock.AcquireAsync(name, TimeSpan.FromMinutes(1));
        Assert.False(second.IsCompleted);
        await first.DisposeAsync();

        await (await second.WaitAsync(TimeSpan.FromMinutes(1))).DisposeAsync();
    }

    /// <summary>An npm that records its call and writes what `npm ci` leaves behind, slowly enough for callers to overlap.</summary>
    private void FakeNpm()
    {
        File.WriteAllText(Path.Combine(_project.FullName, "package-lock.json"), "{}");
        File.SetLastWriteTimeUtc(Path.Combine(_project.FullName, "package-lock.json"), DateTime.UtcNow.AddMinutes(-1));
        FakeProgram("npm", $"""
            /bin/sleep 0.3
            echo "npm $* in $(pwd)" >> '{Calls}'
            /bin/mkdir -p node_modules && echo installed > node_modules/.package-lock.json
            """);
    }

    private void FakeProgram(string name, string body)
    {
        var path = Path.Combine(_bin.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        _bin.Delete(recursive: true);
        _project.Delete(recursive: true);
    }
}
