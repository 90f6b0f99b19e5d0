namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>
/// What every hook run must hold, as violations (none when it holds), so that a test can show both that the real
/// scripts hold it and that a copy with a planted fault does not (HookSabotageTests).
/// </summary>
public static class HookChecks
{
    /// <summary>
    /// Every az call that reaches a subscription names azd's (--subscription, or the subscription in an ARM URL);
    /// directory lookups (az ad) are tenant-wide and take no subscription.
    /// </summary>
    public static IEnumerable<string> EveryAzCallNamesTheSubscription(HookRun run) =>
        run.Calls.Where(call => call.StartsWith("az ", StringComparison.Ordinal) && !call.StartsWith("az ad ", StringComparison.Ordinal))
            .Where(call => !call.EndsWith($" --subscription {FakeAzureClis.Subscription}", StringComparison.Ordinal)
                && !(call.StartsWith("az rest ", StringComparison.Ordinal) && call.Contains($"/subscriptions/{FakeAzureClis.Subscription}/", StringComparison.Ordinal)))
            .Select(call => $"does not name the subscription {FakeAzureClis.Subscription}: {call}");

    /// <summary>No value on any recorded command line (az, azd, sleep), nor in the output.</summary>
    public static IEnumerable<string> NoValueShown(HookRun run, params string[] values) =>
        values.SelectMany(value => run.Calls.Where(call => call.Contains(value, StringComparison.Ordinal)).Select(call => $"a value is on the command line: {call}")
            .Concat(run.Output.Contains(value, StringComparison.Ordinal) ? ["a value is in the output"] : []));

    /// <summary>
    /// A wait that gave up as the hooks promise: 600 s of sleeps in 10 s steps (Key Vault's documented latency for
    /// role assignments), a progress line at every 30 s, and one line naming what is missing and how to finish.
    /// </summary>
    public static IEnumerable<string> GaveUpAfterTenMinutesSayingSoEvery30Seconds(HookRun run, string finish)
    {
        var sleeps = run.Calls.Where(call => call.StartsWith("sleep ", StringComparison.Ordinal)).ToList();
        var progress = run.StdOut.Split('\n').Count(line => line.StartsWith("key vault: still waiting", StringComparison.Ordinal));
        var errors = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (sleeps.Count == 60 && sleeps.All(sleep => sleep == "sleep 10") ? [] : new[] { $"slept [{string.Join(", ", sleeps)}], not 60 x 10 s" })
            .Concat(progress == 19 ? [] : [$"{progress} progress lines, not one every 30 s up to 570 s (19)"])
            .Concat(errors.Length == 1 && errors[0].Contains("after 600 s still not in effect", StringComparison.Ordinal) && errors[0].EndsWith(finish, StringComparison.Ordinal)
                ? [] : [$"the last word is not one line naming what is missing and '{finish}': {run.StdErr}"]);
    }

    /// <summary>
    /// The shared rate limit's bucket-name key: written once, 32 random bytes in base64 through a file only this user
    /// could read and that is gone afterwards, with no expiry, its value on no command line and not in the output; and
    /// after that write the app asked (on azd's subscription, its group, its name) to resolve its Key Vault references
    /// again, or it would go on naming buckets with the reference's own text.
    /// </summary>
    public static IEnumerable<string> RateLimitKeyWrittenThenResolved(HookRun run, string secretName, string resourceGroup, string app)
    {
        var writes = run.Clis.Writes.Where(write => write.Name == secretName).ToList();
        if (writes.Count != 1)
        {
            return [$"{secretName} was written {writes.Count} times, not once"];
        }
        var value = run.Clis.Secret(secretName) ?? "";
        var bytes = new byte[64];
        var refresh = $"az rest --method post --output none --url /subscriptions/{FakeAzureClis.Subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Web/sites/{app}/config/configreferences/appsettings/refresh?api-version=2025-03-01";
        var written = run.Calls.ToList().FindIndex(call => call.StartsWith("az keyvault secret set ", StringComparison.Ordinal) && call.Contains($" --name {secretName} ", StringComparison.Ordinal));
        var refreshed = run.Calls.ToList().FindLastIndex(call => call == refresh);
        return (Convert.TryFromBase64String(value, bytes, out var length) && length == 32 ? [] : new[] { $"{secretName} is not 32 bytes in base64" })
            .Concat(writes[0].Mode == "600" && !File.Exists(writes[0].File) ? [] : [$"{secretName} went through {writes[0].File} (mode {writes[0].Mode}), not a private file removed afterwards"])
            .Concat(run.Clis.Expires(secretName) is null ? [] : [$"{secretName} was given an expiry ({run.Clis.Expires(secretName)}); the key is written without one"])
            .Concat(value.Length == 0 ? [] : NoValueShown(run, value))
            .Concat(refreshed > written ? [] : [$"the app was not asked to resolve its Key Vault references after {secretName} was written ({refresh})"]);
    }

    /// <summary>The vault is as the template leaves it: public access off, no IP rule.</summary>
    public static IEnumerable<string> IsolatedVaultClosed(FakeAzureClis clis) =>
        (clis.Network(initial: "closed") == "closed" ? [] : new[] { $"the vault is left {clis.Network(initial: "closed")}" })
            .Concat(clis.IpRules.Select(rule => $"the vault keeps the IP rule {rule}"));
}
