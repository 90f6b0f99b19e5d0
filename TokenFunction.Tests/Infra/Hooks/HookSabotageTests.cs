using static TokenFunction.Tests.Infra.Hooks.HookInputs;

namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>
/// The hook checks are not trusted to detect anything until shown: each runs against a copy of scripts/ with one
/// planted fault, in the scenario of the test that relies on it, and must report it (the same scenario passes on
/// the real scripts: HookScriptTests, VaultAccessTests).
/// </summary>
public sealed class HookSabotageTests
{
    [Fact]
    public async Task A_hook_that_forgets_to_close_the_vault_on_a_signal_is_caught()
    {
        using var scripts = BrokenCopy("lib/common.sh", "    on_exit close_vault\n", "");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        var run = await clis.RunAndSignalAsync(HookShell.Sh, "postprovision", IsolatedVault(), "TERM");

        Assert.NotEmpty(HookChecks.IsolatedVaultClosed(clis));
        Assert.Equal(143, run.ExitCode);
    }

    [Fact]
    public async Task A_PowerShell_hook_without_its_finally_close_is_caught_on_ctrl_c()
    {
        using var scripts = BrokenCopy("postprovision.ps1", "finally {\n    Close-Vault\n}", "finally {\n}");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        await clis.RunAndSignalAsync(HookShell.Pwsh, "postprovision", IsolatedVault(), "INT");

        Assert.NotEmpty(HookChecks.IsolatedVaultClosed(clis));
    }

    [Fact]
    public async Task A_hook_that_leaves_the_vault_open_after_a_failed_write_is_caught()
    {
        using var scripts = BrokenCopy("lib/common.sh", "    on_exit close_vault\n", "");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        await clis.RunAsync(HookShell.Sh, "postprovision", With(IsolatedVault(), new Dictionary<string, string> { ["FAKE_SET_FAILS"] = "1" }));

        Assert.NotEmpty(HookChecks.IsolatedVaultClosed(clis));
    }

    [Fact]
    public async Task An_az_call_on_the_CLIs_default_subscription_is_caught()
    {
        using var scripts = BrokenCopy("lib/common.sh", "az_sub() { az \"$@\" --subscription \"$subscription\"; }", "az_sub() { az \"$@\"; }");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        var run = await clis.RunAsync(HookShell.Sh, "postprovision", CiCredentials());

        Assert.NotEmpty(HookChecks.EveryAzCallNamesTheSubscription(run));
    }

    [Fact]
    public async Task A_secret_on_the_command_line_is_caught()
    {
        using var scripts = BrokenCopy("lib/common.sh", "--file \"$value_file\" --encoding utf-8", "--value \"$api_secret\" --file \"$value_file\" --encoding utf-8");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        var run = await clis.RunAsync(HookShell.Sh, "postprovision", CiCredentials());

        Assert.NotEmpty(HookChecks.NoValueShown(run, ApiKey, ApiSecret));
    }

    [Fact]
    public async Task A_wait_shorter_than_Key_Vaults_ten_minutes_is_caught()
    {
        using var scripts = BrokenCopy("lib/common.sh", "VAULT_WAIT_SECONDS=600", "VAULT_WAIT_SECONDS=120");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        var run = await clis.RunAsync(HookShell.Sh, "postprovision", CiCredentials(new Dictionary<string, string> { ["FAKE_RBAC_FAILURES"] = "1000" }));

        Assert.NotEmpty(HookChecks.GaveUpAfterTenMinutesSayingSoEvery30Seconds(run, VaultAccessTests.FinishPostprovision));
    }

    [Fact]
    public async Task A_pair_written_without_an_expiry_is_caught()
    {
        using var scripts = BrokenCopy("lib/common.sh", " --expires \"$expires\"", "");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        await clis.RunAsync(HookShell.Sh, "postprovision", CiCredentials());

        Assert.Null(clis.Expires("videosdk-api-secret"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertPairWritten(clis));
    }

    [Fact]
    public async Task A_rate_limit_key_the_app_is_never_asked_to_resolve_is_caught()
    {
        using var scripts = BrokenCopy("postprovision.sh", "if [ -n \"$rate_limit_key\" ]; then\n    refresh_url=", "if false; then\n    refresh_url=");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        var run = await clis.RunAsync(HookShell.Sh, "postprovision", SharedRateLimitKeyTests.SharedLimit());

        Assert.Equal(["the app was not asked to resolve its Key Vault references after rate-limit-key was written"],
            HookChecks.RateLimitKeyWrittenThenResolved(run, SharedRateLimitKeyTests.KeySecretName, ResourceGroup, SharedRateLimitKeyTests.App)
                .Select(violation => violation.Split(" (", 2)[0]));
    }

    [Fact]
    public async Task A_rate_limit_key_shown_in_the_output_is_caught()
    {
        using var scripts = BrokenCopy("lib/common.sh", "base64 | tr -d '\\n' > \"$value_file\"", "base64 | tr -d '\\n' | tee \"$value_file\"");
        using var clis = new FakeAzureClis(scriptsDirectory: scripts.Directory);

        var run = await clis.RunAsync(HookShell.Sh, "postprovision", SharedRateLimitKeyTests.SharedLimit());

        Assert.Equal(["a value is in the output"],
            HookChecks.RateLimitKeyWrittenThenResolved(run, SharedRateLimitKeyTests.KeySecretName, ResourceGroup, SharedRateLimitKeyTests.App));
    }

    /// <summary>A copy of scripts/ with one edit, which must change the file (or the copy would test the real scripts).</summary>
    private static ScriptsCopy BrokenCopy(string file, string find, string replace)
    {
        var source = Path.Combine(InfraWorkspace.RepositoryRoot, "scripts");
        var copy = Directory.CreateTempSubdirectory("scripts-sabotage-").FullName;
        foreach (var path in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }
        var edited = Path.Combine(copy, file);
        var text = File.ReadAllText(edited);
        if (!text.Contains(find, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{file} no longer contains '{find}': update the planted fault.");
        }
        File.WriteAllText(edited, text.Replace(find, replace, StringComparison.Ordinal));
        return new ScriptsCopy(copy);
    }

    private sealed class ScriptsCopy(string directory) : IDisposable
    {
        public string Directory { get; } = directory;

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
