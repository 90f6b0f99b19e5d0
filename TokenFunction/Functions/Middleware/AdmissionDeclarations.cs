using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace TokenFunction.Functions.Middleware;

/// <summary>
/// Which functions declare <see cref="AdmitCallerAttribute"/>: read once per function from the method its
/// <see cref="FunctionDefinition.EntryPoint"/> names, then answered from memory by the function's id.
/// </summary>
internal sealed class AdmissionDeclarations
{
    private readonly ConcurrentDictionary<string, bool> _byFunctionId = new(StringComparer.Ordinal);

    /// <summary>The predicate the pipeline asks before every invocation.</summary>
    public bool Declared(FunctionContext context) =>
        _byFunctionId.GetOrAdd(context.FunctionDefinition.Id, static (_, definition) => DeclaredBy(definition), context.FunctionDefinition);

    /// <summary>
    /// The entry point is "Namespace.Class.Method", as the worker's own method locator reads it. The functions are
    /// this assembly's; an entry point naming anything else is a wiring mistake and fails the invocation loudly.
    /// </summary>
    internal static bool DeclaredBy(FunctionDefinition definition)
    {
        var entryPoint = definition.EntryPoint;
        var split = entryPoint.LastIndexOf('.');
        var type = split > 0 ? typeof(AdmissionDeclarations).Assembly.GetType(entryPoint[..split]) : null;
        var method = type?.GetMethod(entryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                     ?? throw new InvalidOperationException($"Function {definition.Name}: entry point '{entryPoint}' names no public method of this app.");
        return method.IsDefined(typeof(AdmitCallerAttribute), inherit: false);
    }
}
