using System.Text.Json;
using TokenFunction.StandIns.FunctionsHost.Rpc;

namespace TokenFunction.StandIns.FunctionsHost;

public enum HttpAuthLevel
{
    Anonymous,
    Function,
    Admin,
}

/// <summary>
/// An HTTP-triggered function as the worker described it in its metadata: the host routes to it by
/// route template and method, and enforces its auth level before the worker sees the request.
/// </summary>
public sealed record HttpFunction(
    string FunctionId,
    string Name,
    string TriggerBindingName,
    RouteTemplate Route,
    IReadOnlySet<string> Methods,
    HttpAuthLevel AuthLevel)
{
    public bool AllowsMethod(string method) => Methods.Count == 0 || Methods.Contains(method);

    /// <summary>Reads the httpTrigger binding from the raw binding JSON; null for a function with another trigger.</summary>
    internal static HttpFunction? FromMetadata(RpcFunctionMetadata metadata, string routePrefix)
    {
        foreach (var rawBinding in metadata.RawBindings)
        {
            using var binding = JsonDocument.Parse(rawBinding);
            var root = binding.RootElement;
            if (!string.Equals(RawBinding.Property(root, "type"), "httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Host defaults: route = function name, every method, auth level Function.
            var route = RawBinding.Property(root, "route") ?? metadata.Name;
            var methods = root.TryGetProperty("methods", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToHashSet()
                : [];
            var authLevel = Enum.TryParse<HttpAuthLevel>(RawBinding.Property(root, "authLevel"), ignoreCase: true, out var level)
                ? level
                : HttpAuthLevel.Function;
            return new HttpFunction(metadata.FunctionId, metadata.Name, RawBinding.Property(root, "name")!,
                RouteTemplate.Parse(string.IsNullOrEmpty(routePrefix) ? route : routePrefix + "/" + route), methods, authLevel);
        }

        return null;
    }
}

/// <summary>
/// A route template such as "api/rooms/{roomId}" or "api/items/{id:int?}": literal segments match
/// case-insensitively, {name} takes one segment, {name?} may be absent, {*rest} takes the rest.
/// Constraints are not checked (none of this app's routes relies on one).
/// </summary>
public sealed class RouteTemplate
{
    private readonly IReadOnlyList<Segment> _segments;

    private RouteTemplate(string text, IReadOnlyList<Segment> segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public static RouteTemplate Parse(string template)
    {
        var segments = template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Segment.Parse).ToList();
        return new RouteTemplate(template, segments);
    }

    /// <summary>Matches a request path (no query); on success returns the route values.</summary>
    public bool TryMatch(string path, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < _segments.Count; i++)
        {
            var segment = _segments[i];
            if (segment.IsCatchAll)
            {
                values[segment.Name] = string.Join('/', parts.Skip(i).Select(Uri.UnescapeDataString));
                return true;
            }

            if (i >= parts.Length)
            {
                return segment.IsOptional && _segments.Skip(i).All(s => s.IsOptional || s.IsCatchAll);
            }

            if (segment.IsParameter)
            {
                values[segment.Name] = Uri.UnescapeDataString(parts[i]);
            }
            else if (!string.Equals(segment.Name, Uri.UnescapeDataString(parts[i]), StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return parts.Length == _segments.Count;
    }

    public override string ToString() => Text;

    private sealed record Segment(string Name, bool IsParameter, bool IsOptional, bool IsCatchAll)
    {
        public static Segment Parse(string text)
        {
            if (!text.StartsWith('{') || !text.EndsWith('}'))
            {
                return new Segment(text, false, false, false);
            }

            var inner = text[1..^1];
            var catchAll = inner.StartsWith('*');
            var optional = inner.EndsWith('?');
            var name = inner.TrimStart('*').TrimEnd('?').Split(':', '=')[0];
            return new Segment(name, true, optional, catchAll);
        }
    }
}
