using System.Reflection;
using TokenFunction.Tests.Contract;
using TokenFunction.Tests.Infra;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests;

/// <summary>
/// The fast inner loop of docs/testing.md runs the in-process tests only: its filter leaves out the namespaces that
/// start processes (end-to-end workers, the Bicep CLI and hook scripts, the contract's tool chain) and the test
/// category of the classes on the real OpenID provider (a Node process). These keep the filter and the code in step.
/// </summary>
public sealed class InnerLoopTests
{
    /// <summary>The filter, as docs/testing.md gives it.</summary>
    public static readonly string Filter =
        $"Category!={OpenIdProviderFixture.Category}" +
        string.Concat(OutOfProcessNamespaces.Select(name => $"&FullyQualifiedName!~{name}."));

    private static IEnumerable<string> OutOfProcessNamespaces =>
        [typeof(EndToEnd.FunctionsHostStartupTests).Namespace!, typeof(BicepCli).Namespace!, typeof(ContractTooling).Namespace!];

    [Fact]
    public void Docs_give_the_inner_loop_command_with_the_filter_the_code_implies()
    {
        var testing = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "docs", "testing.md"));

        Assert.Contains($"dotnet test TokenFunction.Tests --filter \"{Filter}\"", testing, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_class_outside_those_namespaces_that_starts_the_real_provider_or_a_worker_is_in_the_left_out_category()
    {
        var processFixtures = typeof(InnerLoopTests).Assembly.GetTypes()
            .Where(type => !OutOfProcessNamespaces.Any(name => type.Namespace?.StartsWith(name, StringComparison.Ordinal) == true))
            .Where(type => type.GetInterfaces().Any(StartsAProcess))
            .ToList();

        Assert.NotEmpty(processFixtures);
        Assert.All(processFixtures, type => Assert.Contains(
            type.GetCustomAttributesData(),
            attribute => attribute.AttributeType == typeof(TraitAttribute)
                && attribute.ConstructorArguments.Select(argument => argument.Value).SequenceEqual(["Category", OpenIdProviderFixture.Category])));
    }

    private static bool StartsAProcess(Type fixtureInterface) =>
        fixtureInterface.IsGenericType
        && fixtureInterface.GetGenericTypeDefinition() == typeof(IClassFixture<>)
        && fixtureInterface.GetGenericArguments()[0] is var fixture
        && (typeof(RealOpenIdProvider).IsAssignableFrom(fixture) || typeof(FunctionsHostFixture).IsAssignableFrom(fixture));
}
