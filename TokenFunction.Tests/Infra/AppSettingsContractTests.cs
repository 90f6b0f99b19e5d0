using System.Reflection;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// One source of truth for configuration keys: every "Section__Property" app setting the template sets must
/// bind to a property of the app's options class whose SectionName is that section. A key the app does not
/// bind would be silently ignored in Azure and the app would run on its defaults.
/// </summary>
[Collection(InfraTestGroup.Name)]
public sealed class AppSettingsContractTests(InfraFixture infra)
{
    // Settings read by the Functions host and the platform, not by the app's options.
    private static readonly string[] PlatformPrefixes = ["AzureWebJobsStorage__", "APPLICATIONINSIGHTS_", "FUNCTIONS_", "WEBSITE_"];

    /// <summary>Every combination the template evaluates (the shared rate limit's Redis settings appear only with it on).</summary>
    [Fact]
    public void EverySectionedAppSettingBindsToAnOptionsProperty()
    {
        var options = OptionsSections.Of(Assembly.Load("TokenFunction"));
        var appKeys = infra.Scenarios.SelectMany(deployment => deployment.AppSettings.Keys).Distinct()
            .Where(key => key.Contains("__", StringComparison.Ordinal))
            .Where(key => !PlatformPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        var unbound = appKeys.Where(key => !options.Binds(key)).ToList();

        Assert.NotEmpty(appKeys);
        Assert.Contains(appKeys, key => key.StartsWith("RateLimit__Redis__", StringComparison.Ordinal));
        Assert.True(unbound.Count == 0,
            $"app settings with no matching options property: {string.Join(", ", unbound)}; "
            + $"options sections found: [{string.Join(", ", options.SectionNames)}]");
    }
}

/// <summary>The app's options classes, found by their public const string SectionName.</summary>
public sealed class OptionsSections
{
    private readonly Dictionary<string, Type> bySection;

    private OptionsSections(Dictionary<string, Type> bySection) => this.bySection = bySection;

    public IEnumerable<string> SectionNames => bySection.Keys.Order();

    public static OptionsSections Of(Assembly assembly) => new(assembly.GetTypes()
        .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(candidate => candidate.Field is { IsLiteral: true } && candidate.Field.FieldType == typeof(string))
        .ToDictionary(candidate => (string)candidate.Field!.GetRawConstantValue()!, candidate => candidate.Type, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// Walks "Section__Property__Nested" like .NET configuration binding does: case-insensitive names, numeric
    /// segments are array indexes. The longest section that prefixes the key owns it ("RateLimit:Redis" before
    /// "RateLimit").
    /// </summary>
    public bool Binds(string key)
    {
        var segments = key.Split("__");
        var sectionLength = Enumerable.Range(1, segments.Length - 1).Reverse()
            .FirstOrDefault(length => bySection.ContainsKey(string.Join(':', segments[..length])));
        if (sectionLength == 0)
        {
            return false;
        }

        var type = bySection[string.Join(':', segments[..sectionLength])];
        foreach (var segment in segments.Skip(sectionLength).Where(segment => !segment.All(char.IsAsciiDigit)))
        {
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }
            type = ElementTypeOrSelf(property.PropertyType);
        }
        return true;
    }

    private static Type ElementTypeOrSelf(Type type) =>
        type == typeof(string) ? type
        : type.IsArray ? type.GetElementType()!
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] ?? type;
}
