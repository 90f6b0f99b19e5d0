using Microsoft.Extensions.Configuration;

namespace TokenFunction.Callers;

/// <summary>
/// Whether the app runs on Azure's App Service / Functions platform. Read from configuration, where the
/// host's environment variables land, so a test can say "in Azure" without touching the process environment.
/// </summary>
public sealed class HostingPlatform(IConfiguration configuration)
{
    /// <summary>Set by the platform on every instance in Azure; neither Core Tools nor a developer shell sets it.</summary>
    public const string InstanceIdSetting = "WEBSITE_INSTANCE_ID";

    public bool RunsInAzure { get; } = !string.IsNullOrEmpty(configuration[InstanceIdSetting]);
}
