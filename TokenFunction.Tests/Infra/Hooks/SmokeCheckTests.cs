using TokenFunction.Tests.EndToEnd;

namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>
/// The postdeploy smoke check (sh and its PowerShell twin) against the real worker behind the host
/// stand-in's HTTP front: a healthy anonymous endpoint passes, one line per check; a misconfigured one fails
/// with the line that says what is wrong and what to do next.
/// </summary>
public sealed class SmokeCheckTests(LocalModeWorker worker) : IClassFixture<LocalModeWorker>
{
    public static TheoryData<HookShell> Shells => new(HookShell.Sh, HookShell.Pwsh);

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task A_healthy_anonymous_endpoint_passes_health_and_one_checked_token(HookShell shell)
    {
        using var clis = new FakeAzureClis(fakeSleep: false);

        var run = await clis.RunAsync(shell, "postdeploy", Environment(worker.BaseAddress, anonymous: true));

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ok    health: healthy after ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("ok    token: HTTP 200, claims apikey, permissions, version 2, exp, jti; expires in ", lines[1], StringComparison.Ordinal);
        var expiresIn = int.Parse(lines[1][(lines[1].LastIndexOf("in ", StringComparison.Ordinal) + 3)..^2]);
        Assert.InRange(expiresIn, worker.DefaultTtlSeconds - 60, worker.DefaultTtlSeconds);
        Assert.DoesNotContain("eyJ", run.Output, StringComparison.Ordinal);
    }

    /// <summary>Bearer mode expected, but the endpoint hands out tokens without one: that is a failure to report.</summary>
    [Theory]
    [MemberData(nameof(Shells))]
    public async Task An_endpoint_that_should_challenge_but_serves_anyone_fails_with_the_next_step(HookShell shell)
    {
        using var clis = new FakeAzureClis(fakeSleep: false);

        var run = await clis.RunAsync(shell, "postdeploy", Environment(worker.BaseAddress, anonymous: false));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL  auth: a request without a token got HTTP 200, not 401 with a Bearer challenge", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("next: check CALLER_AUTH_AUTHORITY and CALLER_AUTH_AUDIENCE", run.StdOut, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string> Environment(Uri baseAddress, bool anonymous) => new()
    {
        ["TOKEN_ENDPOINT_URL"] = new Uri(baseAddress, "api/token").ToString(),
        ["ALLOW_ANONYMOUS_CALLERS"] = anonymous ? "true" : "false",
        ["SMOKE_TIMEOUT_SECONDS"] = "4",
        ["SMOKE_INTERVAL_SECONDS"] = "1",
    };
}

/// <summary>A deployed app whose vault holds no credentials: it stays unhealthy.</summary>
public sealed class CredentialLessWorker : VaultModeWorker
{
    protected override void PrepareVault()
    {
    }
}

/// <summary>The smoke check against an app that cannot sign: bounded wait, then the failing line and the fix.</summary>
public sealed class SmokeCheckRefusalTests(CredentialLessWorker worker) : IClassFixture<CredentialLessWorker>
{
    [Theory]
    [MemberData(nameof(SmokeCheckTests.Shells), MemberType = typeof(SmokeCheckTests))]
    public async Task An_unhealthy_endpoint_fails_after_the_bounded_wait_naming_the_credentials_fix(HookShell shell)
    {
        using var clis = new FakeAzureClis(fakeSleep: false);

        var run = await clis.RunAsync(shell, "postdeploy", SmokeCheckTests.Environment(worker.BaseAddress, anonymous: true));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL  health: not healthy after 4 s (last answer: HTTP 503 ", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("rotate-videosdk-secret", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("ok    token", run.StdOut, StringComparison.Ordinal);
    }
}
