using System.Reflection;
using System.Reflection.Emit;

namespace TokenFunction.Tests;

/// <summary>
/// The app's folders (namespaces) in layers, and every reference between types of the app assembly: from
/// signatures (base types, fields, properties, parameters, attributes) and from method bodies (the IL's
/// type, method and field tokens), so a static call or a constant read counts as much as a field type.
/// </summary>
internal static class Layering
{
    /// <summary>Higher may use lower; a folder never uses one at its own or a higher rank, except itself.</summary>
    public static IReadOnlyDictionary<string, int> Ranks { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["TokenFunction"] = 7, // Program and the one composition (AddTokenFunction)
        ["Functions"] = 6,
        ["Http"] = 5,
        ["Tokens"] = 4, // siblings: neither uses the other
        ["Rooms"] = 4,
        ["Callers"] = 3,
        ["Secrets"] = 2,
        ["VideoSdk"] = 1,
        ["Telemetry"] = 1,
        ["Problems"] = 0,
        ["Platform"] = 0,
        ["Json"] = 0,
    };

    /// <summary>The folder of a type of ours (a namespace below <c>TokenFunction.Functions</c>, such as its Middleware, belongs to <c>Functions</c>); null for anything else.</summary>
    public static string? FolderOf(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || !(ns == "TokenFunction" || ns.StartsWith("TokenFunction.", StringComparison.Ordinal)))
        {
            return null;
        }

        var parts = ns.Split('.');
        return parts.Length == 1 ? parts[0] : parts[1];
    }

    /// <summary>The references that break the rule, as "From (Folder) -> To (Folder)" lines.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<(Type From, Type To)> references) =>
        references
            .Select(r => (r.From, r.To, FromFolder: FolderOf(r.From), ToFolder: FolderOf(r.To)))
            .Where(r => r.FromFolder is not null && r.ToFolder is not null && r.FromFolder != r.ToFolder)
            .Where(r => !Ranks.TryGetValue(r.FromFolder!, out var from) || !Ranks.TryGetValue(r.ToFolder!, out var to) || from <= to)
            .Select(r => $"{r.From.FullName} ({r.FromFolder}) -> {r.To.FullName} ({r.ToFolder})")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static IEnumerable<(Type From, Type To)> References(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            foreach (var referenced in ReferencedBy(type).SelectMany(Unwrap).Distinct())
            {
                yield return (type, referenced);
            }
        }
    }

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> ReferencedBy(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var item in type.GetInterfaces())
        {
            yield return item;
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            yield return attribute.AttributeType;
            foreach (var argument in attribute.ConstructorArguments)
            {
                if (argument.Value is Type typeArgument)
                {
                    yield return typeArgument;
                }
            }
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var method in MethodsOf(type))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var used in MembersUsedIn(method).SelectMany(TypesOf))
            {
                yield return used;
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value);

    /// <summary>Every type, field and method the method's IL names (a call, a field read, a type test, a token).</summary>
    public static IEnumerable<MemberInfo> MembersUsedIn(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var opCode = OpCodesByValue[value];
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, position);
                if (Resolve(method.Module, token, typeArguments, methodArguments) is { } member)
                {
                    yield return member;
                }
            }

            position += OperandSize(opCode, il, position);
        }
    }

    /// <summary>Every method and constructor a type declares, with a body or without.</summary>
    public static IEnumerable<MethodBase> MethodsOf(Type type) =>
        type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return null; // a token of a generic context this simple walk does not reconstruct
        }
    }

    private static IEnumerable<Type> TypesOf(MemberInfo member)
    {
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case FieldInfo field:
                yield return field.DeclaringType!;
                yield return field.FieldType;
                break;
            case MethodBase method:
                yield return method.DeclaringType!;
                if (method.IsGenericMethod)
                {
                    foreach (var argument in method.GetGenericArguments())
                    {
                        yield return argument;
                    }
                }

                break;
        }
    }

    private static int OperandSize(OpCode opCode, byte[] il, int position) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
        _ => 4,
    };

    /// <summary>Arrays, by-refs, pointers and generic arguments count as references to what they hold; a nested type is its outer type's folder anyway.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Unwrap(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return argument;
            }
        }
    }
}
