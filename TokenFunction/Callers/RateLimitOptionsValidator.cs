using Microsoft.Extensions.Options;

namespace TokenFunction.Callers;

/// <summary>Start-up checks of the rate limit; each failure names the setting to fix.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    private const int MaxBurst = 100_000;
    private static readonly TimeSpan MinPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(1);

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{RateLimitOptions.SectionName}:{property}";
}
