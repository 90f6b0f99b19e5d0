namespace TokenFunction.Tests.Infra;

/// <summary>The one service azure.yaml declares; azd deploys it into the resource tagged with its name.</summary>
public static class AzureYaml
{
    private static readonly Lazy<string> Service = new(ReadServiceName);

    public static string ServiceName => Service.Value;

    // Just enough YAML for this file: the keys indented one level under "services:".
    private static string ReadServiceName()
    {
        var lines = File.ReadAllLines(Path.Combine(InfraWorkspace.RepositoryRoot, "azure.yaml"));
        var services = lines.SkipWhile(line => line.TrimEnd() != "services:").Skip(1)
            .TakeWhile(line => line.Length == 0 || line.StartsWith(' ') || line.StartsWith('#'))
            .Where(line => line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(':'))
            .Where(line => !line.TrimStart().StartsWith('#'))
            .Select(line => line.Trim().TrimEnd(':'))
            .ToList();
        return services.Count == 1 ? services[0] : throw new InvalidDataException($"azure.yaml declares {services.Count} services, expected one");
    }

    /// <summary>The lowest azd version requiredVersions accepts (">= x.y.z"), or null when there is no such line.</summary>
    public static Version? RequiredAzdVersion(IEnumerable<string> lines)
    {
        var requirement = lines.SkipWhile(line => line.TrimEnd() != "requiredVersions:").Skip(1)
            .TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))
            .Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith("azd: \">= ", StringComparison.Ordinal) && line.EndsWith('"'));
        return requirement is null ? null : Version.Parse(requirement["azd: \">= ".Length..^1]);
    }
}
