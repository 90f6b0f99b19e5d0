using System.Text.Json;

namespace TokenFunction.StandIns.FunctionsHost;

public sealed class FunctionsHostOptions
{
    /// <summary>The built app to run; by default the TokenFunction build this assembly was compiled against.</summary>
    public FunctionAppBuildOutput? App { get; init; }

    /// <summary>
    /// App settings, given to the worker as environment variables as the platform does ("KeyVault__VaultUri").
    /// </summary>
    public Dictionary<string, string> AppSettings { get; } = new(StringComparer.Ordinal);

    public HostKeys Keys { get; init; } = HostKeys.Generate();

    /// <summary>From process start until every function is loaded.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan InvocationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The loopback port of the HTTP/1.1 front; 0 (the default) takes a free one.</summary>
    public int HttpPort { get; init; }

    /// <summary>Adds the "Values" of a local.settings.json-shaped file, the way Core Tools reads them.</summary>
    public FunctionsHostOptions WithSettingsFile(string path)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        if (settings.RootElement.TryGetProperty("Values", out var values))
        {
            foreach (var setting in values.EnumerateObject())
            {
                AppSettings[setting.Name] = setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString()! : setting.Value.ToString();
            }
        }

        return this;
    }

    public FunctionsHostOptions WithSetting(string name, string value)
    {
        AppSettings[name] = value;
        return this;
    }
}
