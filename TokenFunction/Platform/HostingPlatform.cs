using Microsoft.Extensions.Configuration;

namespace TokenFunction.Platform;

/// <summary>
/// Whether the app runs on Azure's App Service / Functions platform, and with a managed identity. Read from
/// configuration, where the host's environment variables land, so a test can say "in Azure" without touching the
/// process environment.
/// </summary>
internal sealed class HostingPlatform(IConfiguration configuration)
{
    /// <summary>Set on every App Service / Elastic Premium / Consumption instance.</summary>
    public const string InstanceIdSetting = "WEBSITE_INSTANCE_ID";

    /// <summary>
    /// Any of these marks Azure: Flex Consumption instances do not set <see cref="InstanceIdSetting"/>, but every
    /// plan sets the site name and the SKU. Neither Core Tools nor a developer shell sets them. (Not
    /// CONTAINER_NAME, which Linux Consumption sets: plenty of container platforms set it too.)
    /// </summary>
    public static IReadOnlyList<string> PlatformSettings { get; } = [InstanceIdSetting, "WEBSITE_SITE_NAME", "WEBSITE_SKU"];

    public bool RunsInAzure { get; } = PlatformSettings.Any(setting => !string.IsNullOrEmpty(configuration[setting]));

    /// <summary>
    /// Set by App Service and Azure Functions wherever a managed identity is available; its absence means a
    /// developer machine, where the developer's own sign-in is used instead.
    /// </summary>
    public const string ManagedIdentityEndpointSetting = "IDENTITY_ENDPOINT";

    public bool HasManagedIdentity { get; } = !string.IsNullOrEmpty(configuration[ManagedIdentityEndpointSetting]);

    /// <summary>For start-up messages: which platform settings say "Azure".</summary>
    public static string Describe => string.Join(" or ", PlatformSettings);
}
