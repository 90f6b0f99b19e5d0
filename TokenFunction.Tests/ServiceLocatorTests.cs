using System.CodeDom.Compiler;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace TokenFunction.Tests;

/// <summary>
/// Every dependency of the app's code arrives through a constructor: no method looks a service up in a container
/// (<c>GetService</c>, <c>GetRequiredService</c>, their keyed and plural forms, <c>ActivatorUtilities</c>) or
/// reaches for the invocation's container (<c>FunctionContext.InstanceServices</c>). The one place that names the
/// container is the composition, the <c>*ServiceCollectionExtensions</c> classes, whose factory delegates are how
/// the container builds a type with an internal constructor or forwards one registration to another.
/// </summary>
public sealed class ServiceLocatorTests
{
    private static readonly Type[] Container =
    [
        typeof(IServiceProvider), typeof(IKeyedServiceProvider), typeof(ISupportRequiredService),
        typeof(ServiceProviderServiceExtensions), typeof(ServiceProviderKeyedServiceExtensions), typeof(ActivatorUtilities),
    ];

    [Fact]
    public void No_code_of_the_app_outside_the_composition_looks_up_a_service()
    {
        var found = LookUps(OurTypes().Where(type => !InComposition(type)));
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public void A_look_up_made_inside_a_method_body_is_reported()
    {
        var found = LookUps([typeof(Offender)]);

        Assert.Equal(
        [
            "TokenFunction.Tests.ServiceLocatorTests+Offender.AsksTheContainer -> ServiceProviderServiceExtensions.GetRequiredService",
            "TokenFunction.Tests.ServiceLocatorTests+Offender.AsksTheInvocation -> FunctionContext.get_InstanceServices",
        ], found);
    }

    [Fact]
    public void The_composition_is_where_the_container_is_named()
    {
        // The exemption is not idle: without it the composition's factory delegates are reported.
        Assert.NotEmpty(LookUps(OurTypes().Where(InComposition)));
    }

    /// <summary>The app's types, not the code generators' (the Functions SDK's executor, the configuration binder's interceptors).</summary>
    private static IEnumerable<Type> OurTypes() =>
        typeof(Program).Assembly.GetTypes().Where(type => Layering.FolderOf(type) is not null && !Outermost(type).IsDefined(typeof(GeneratedCodeAttribute), inherit: false));

    private static List<string> LookUps(IEnumerable<Type> types) =>
        types.SelectMany(Layering.MethodsOf)
            .SelectMany(method => Layering.MembersUsedIn(method).Where(IsLookUp)
                .Select(member => $"{method.DeclaringType!.FullName}.{method.Name} -> {member.DeclaringType!.Name}.{member.Name}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsLookUp(MemberInfo member) => member switch
    {
        MethodBase method when method.DeclaringType == typeof(FunctionContext) => method.Name == "get_InstanceServices",
        MethodBase method => Container.Contains(method.DeclaringType),
        _ => false,
    };

    /// <summary>A composition class, or a type the compiler made for its lambdas.</summary>
    private static bool InComposition(Type type) => Outermost(type).Name.EndsWith("ServiceCollectionExtensions", StringComparison.Ordinal);

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static class Offender
    {
        public static TimeProvider AsksTheContainer(IServiceProvider services) => services.GetRequiredService<TimeProvider>();

        public static IServiceProvider AsksTheInvocation(FunctionContext context) => context.InstanceServices;
    }
}
