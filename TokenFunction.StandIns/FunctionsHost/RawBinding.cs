using System.Text.Json;
using TokenFunction.StandIns.FunctionsHost.Rpc;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>One binding of the worker's metadata, given as JSON ({"name","type","direction","dataType",...}).</summary>
internal static class RawBinding
{
    public static (string Name, BindingInfo Binding) ToBindingInfo(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var binding = new BindingInfo
        {
            Type = Property(root, "type") ?? throw new FormatException($"Binding without a type: {json}"),
            Direction = Enum.Parse<BindingInfo.Types.Direction>(Property(root, "direction") ?? "in", ignoreCase: true),
        };
        if (Property(root, "dataType") is { } dataType)
        {
            binding.DataType = Enum.Parse<BindingInfo.Types.DataType>(dataType, ignoreCase: true);
        }

        return (Property(root, "name") ?? throw new FormatException($"Binding without a name: {json}"), binding);
    }

    /// <summary>A binding property by name, case-insensitively as the host reads them (the generator writes camelCase).</summary>
    public static string? Property(JsonElement element, string name) =>
        element.EnumerateObject()
            .Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ToString())
            .FirstOrDefault();
}
