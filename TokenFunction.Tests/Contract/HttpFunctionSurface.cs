using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using TokenFunction.Functions;

namespace TokenFunction.Tests.Contract;

/// <summary>An HTTP-triggered function as the worker will declare it to the host, read from its attributes.</summary>
public sealed record HttpFunctionSurface(string Name, string Path, IReadOnlyList<string>? Methods, AuthorizationLevel AuthLevel)
{
    public static IReadOnlyList<HttpFunctionSurface> All { get; } =
        (from type in typeof(IssueTokenFunction).Assembly.GetTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
         let function = method.GetCustomAttribute<FunctionAttribute>()
         where function is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(t => t is not null)
         where trigger is not null
         select new HttpFunctionSurface(function.Name, "/" + (trigger.Route ?? function.Name),
             trigger.Methods?.Select(m => m.ToUpperInvariant()).ToArray(), trigger.AuthLevel)).ToArray();
}
