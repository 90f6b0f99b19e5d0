using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace TokenFunction.Tests;

/// <summary>
/// Every dependency arrives through a constructor (docs/architecture.md): production code never asks a service
/// provider for a service, which would hide a dependency and, with <c>GetService</c>, silently skip work when it is
/// absent. The one exception is the composition itself, the <c>*ServiceCollectionExtensions</c> registrations, whose
/// factories build a service from its registered parts with <c>GetRequiredService</c>.
/// </summary>
public sealed class ServiceLocationTests
{
    [Fact]
    public void Production_code_asks_no_service_provider_for_a_service_outside_the_composition()
    {
        Assert.Equal(string.Empty, string.Join(Environment.NewLine, ServiceLocations(typeof(Program).Assembly)));
    }

    [Fact]
    public void A_service_lookup_in_production_style_code_is_reported()
    {
        var found = ServiceLocations(typeof(ServiceLocationTests).Assembly)
            .Where(line => line.StartsWith(typeof(PlantedServiceLocator).FullName!, StringComparison.Ordinal))
            .ToArray();

        Assert.Equal(
            string.Join(Environment.NewLine, [
                $"{typeof(PlantedServiceLocator).FullName} calls {nameof(IServiceProvider)}.{nameof(IServiceProvider.GetService)}",
                $"{typeof(PlantedServiceLocator).FullName} calls {nameof(ServiceProviderServiceExtensions)}.{nameof(ServiceProviderServiceExtensions.GetRequiredService)}",
                $"{typeof(PlantedServiceLocator).FullName} calls {nameof(ServiceProviderServiceExtensions)}.{nameof(ServiceProviderServiceExtensions.GetService)}",
            ]),
            string.Join(Environment.NewLine, found));
    }

    [Fact]
    public void The_composition_may_build_a_service_from_its_registered_parts()
    {
        Assert.DoesNotContain(
            ServiceLocations(typeof(ServiceLocationTests).Assembly),
            line => line.StartsWith(typeof(PlantedServiceCollectionExtensions).FullName!, StringComparison.Ordinal));
    }

    private static readonly string[] LookupMethods = ["GetService", "GetRequiredService", "GetKeyedService", "GetRequiredKeyedService", "GetServices", "GetKeyedServices"];

    /// <summary>"Type calls Declaring.Method" for every service lookup outside a registration class; a lambda or iterator counts as the type that wrote it.</summary>
    private static string[] ServiceLocations(Assembly assembly) =>
        assembly.GetTypes()
            .Where(type => Layering.FolderOf(type) is not null) // ours, not code a source generator wrote into another namespace
            .Where(type => !Outermost(type).Name.EndsWith("ServiceCollectionExtensions", StringComparison.Ordinal))
            .SelectMany(type => Layering.MethodsOf(type).SelectMany(Layering.MembersUsedIn).OfType<MethodBase>()
                .Where(IsServiceLookup)
                .Select(method => $"{Writer(type).FullName} calls {method.DeclaringType!.Name}.{method.Name}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static bool IsServiceLookup(MethodBase method) =>
        LookupMethods.Contains(method.Name)
        && method.DeclaringType is { } declaring
        && (declaring == typeof(IServiceProvider)
            || declaring.Namespace == typeof(ServiceProviderServiceExtensions).Namespace);

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    /// <summary>The class whose code this is: a lambda's closure or an async method's state machine belongs to the class that wrote it.</summary>
    private static Type Writer(Type type) => type.Name.Contains('<', StringComparison.Ordinal) && type.DeclaringType is { } outer ? Writer(outer) : type;

    /// <summary>The three ways a class could reach for a service instead of taking it in its constructor.</summary>
    private sealed class PlantedServiceLocator(IServiceProvider services)
    {
        public object? Untyped() => services.GetService(typeof(TimeProvider));

        public TimeProvider? Typed() => services.GetService<TimeProvider>();

        public Func<TimeProvider> InALambda() => () => services.GetRequiredService<TimeProvider>();
    }
}

/// <summary>Stands for a registration class: its factories may resolve a service's registered parts.</summary>
internal static class PlantedServiceCollectionExtensions
{
    public static IServiceCollection AddPlantedClock(this IServiceCollection services) =>
        services.AddSingleton(sp => new Lazy<TimeProvider>(sp.GetRequiredService<TimeProvider>));
}
