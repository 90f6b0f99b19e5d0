using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TokenFunction.Callers;

/// <summary>Start-up checks of the rate limit; each failure names the setting to fix.</summary>
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    private const int MaxBurst = 100_000;
    private static readonly TimeSpan MinPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(1);

    /// <summary>An HMAC-SHA256 key as strong as its output: 32 characters of a random base64 string carry 192 bits.</summary>
    public const int MinKeySecretLength = 32;
    private static readonly TimeSpan MinCheckTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxCheckTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinRetryInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryInterval = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.Burst is < 1 or > MaxBurst)
        {
            failures.Add($"{Key(nameof(options.Burst))} must be from 1 to {MaxBurst}; it is {options.Burst}.");
        }

        if (options.TokensPerPeriod < 1 || options.TokensPerPeriod > options.Burst)
        {
            failures.Add($"{Key(nameof(options.TokensPerPeriod))} must be from 1 to {Key(nameof(options.Burst))} ({options.Burst}); it is {options.TokensPerPeriod}.");
        }

        if (options.ReplenishmentPeriod < MinPeriod || options.ReplenishmentPeriod > MaxPeriod)
        {
            failures.Add($"{Key(nameof(options.ReplenishmentPeriod))} must be from {MinPeriod} to {MaxPeriod}; it is {options.ReplenishmentPeriod}.");
        }

        if (options.TrustedProxyHops is < 0 or > 5)
        {
            failures.Add($"{Key(nameof(options.TrustedProxyHops))} must be from 0 to 5; it is {options.TrustedProxyHops}.");
        }

        if (options.Redis.IsConfigured)
        {
            ValidateShared(options.Redis, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private const string UnresolvedKeyVaultReference = "@Microsoft.KeyVault(";

    private static void ValidateShared(SharedRateLimitOptions redis, List<string> failures)
    {
        if (Uri.CheckHostName(redis.Host) == UriHostNameType.Unknown)
        {
            failures.Add($"{SharedKey(nameof(redis.Host))} must be a host name or an IP address, without a scheme or a port (the port is {SharedKey(nameof(redis.Port))}); it is '{redis.Host}'.");
        }

        if (redis.Port is < 1 or > 65535)
        {
            failures.Add($"{SharedKey(nameof(redis.Port))} must be from 1 to 65535; it is {redis.Port}.");
        }

        if (!redis.UseTls && !IsLoopback(redis.Host!))
        {
            failures.Add($"{SharedKey(nameof(redis.UseTls))}=false is allowed only for a loopback host, not {redis.Host}: the password and every check would cross the network in clear. Use the server's TLS port.");
        }

        var hasCredentials = !string.IsNullOrEmpty(redis.User) || !string.IsNullOrEmpty(redis.Password);
        switch (redis.Authentication)
        {
            case SharedRateLimitAuthentication.Password when string.IsNullOrEmpty(redis.Password):
                failures.Add($"{SharedKey(nameof(redis.Authentication))}=Password needs {SharedKey(nameof(redis.Password))}.");
                break;
            case SharedRateLimitAuthentication.None or SharedRateLimitAuthentication.EntraId when hasCredentials:
                failures.Add($"{SharedKey(nameof(redis.User))} and {SharedKey(nameof(redis.Password))} are used only with {SharedKey(nameof(redis.Authentication))}=Password; it is {redis.Authentication}. Remove them, or set Password.");
                break;
        }

        if ((redis.KeySecret?.Length ?? 0) < MinKeySecretLength)
        {
            failures.Add($"{SharedKey(nameof(redis.KeySecret))} must be at least {MinKeySecretLength} characters, the same on every instance (e.g. the output of `openssl rand -base64 32`): bucket names are an HMAC of the caller with it.");
        }
        else if (redis.KeySecret!.StartsWith(UnresolvedKeyVaultReference, StringComparison.OrdinalIgnoreCase))
        {
            // The platform hands an app the reference's own text when it cannot resolve it: a key anyone reading the
            // site's configuration knows would make the bucket names reversible.
            failures.Add($"{SharedKey(nameof(redis.KeySecret))} is a Key Vault reference the platform could not resolve: the app's identity needs Key Vault Secrets User on the vault and the secret must exist (postprovision writes it; docs/deployment.md). Fix the reference, then restart the app.");
        }

        if (!string.IsNullOrEmpty(redis.KeyPrefix) && !KeyPrefixPattern().IsMatch(redis.KeyPrefix))
        {
            failures.Add($"{SharedKey(nameof(redis.KeyPrefix))} must be 1 to 100 of A-Z a-z 0-9 - _ . : (it is part of every bucket's name).");
        }

        if (redis.CheckTimeout < MinCheckTimeout || redis.CheckTimeout > MaxCheckTimeout)
        {
            failures.Add($"{SharedKey(nameof(redis.CheckTimeout))} must be from {MinCheckTimeout} to {MaxCheckTimeout}; it is {redis.CheckTimeout}.");
        }

        if (redis.RetryInterval < MinRetryInterval || redis.RetryInterval > MaxRetryInterval)
        {
            failures.Add($"{SharedKey(nameof(redis.RetryInterval))} must be from {MinRetryInterval} to {MaxRetryInterval}; it is {redis.RetryInterval}.");
        }
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static string Key(string property) => $"{RateLimitOptions.SectionName}:{property}";

    private static string SharedKey(string property) => $"{SharedRateLimitOptions.SectionName}:{property}";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex KeyPrefixPattern();
}
