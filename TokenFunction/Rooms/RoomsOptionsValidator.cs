using Microsoft.Extensions.Options;

namespace TokenFunction.Rooms;

/// <summary>Start-up checks of the Rooms settings; each failure names the setting to fix.</summary>
internal sealed class RoomsOptionsValidator : IValidateOptions<RoomsOptions>
{
    public ValidateOptionsResult Validate(string? name, RoomsOptions options)
    {
        var failures = new List<string>();

        if (!IsAcceptableBaseUrl(options.VideoSdkBaseUrl))
        {
            failures.Add($"{Key(nameof(options.VideoSdkBaseUrl))} must be an absolute https:// URL without query or fragment, such as https://api.videosdk.live (plain http only to a loopback host).");
        }

        if (options.ManagementTokenLifetime < RoomsOptions.MinManagementTokenLifetime || options.ManagementTokenLifetime > RoomsOptions.MaxManagementTokenLifetime)
        {
            failures.Add($"{Key(nameof(options.ManagementTokenLifetime))} must be from {RoomsOptions.MinManagementTokenLifetime} to {RoomsOptions.MaxManagementTokenLifetime}; it is {options.ManagementTokenLifetime}.");
        }

        if (options.AttemptTimeout < RoomsOptions.MinTimeout || options.AttemptTimeout > RoomsOptions.MaxTimeout)
        {
            failures.Add($"{Key(nameof(options.AttemptTimeout))} must be from {RoomsOptions.MinTimeout} to {RoomsOptions.MaxTimeout}; it is {options.AttemptTimeout}.");
        }

        if (options.TotalTimeout < options.AttemptTimeout || options.TotalTimeout > RoomsOptions.MaxTimeout)
        {
            failures.Add($"{Key(nameof(options.TotalTimeout))} must be from {Key(nameof(options.AttemptTimeout))} ({options.AttemptTimeout}) to {RoomsOptions.MaxTimeout}; it is {options.TotalTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{RoomsOptions.SectionName}:{property}";

    private static bool IsAcceptableBaseUrl(Uri? url) =>
        url is { IsAbsoluteUri: true, Query: "", Fragment: "" }
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
}
