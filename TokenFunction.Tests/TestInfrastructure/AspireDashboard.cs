using System.Reflection;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>The OTLP receiver's program, downloaded by this project (PackageDownload Aspire.Dashboard.Sdk.linux-x64) for <see cref="OtlpReceiver"/>.</summary>
internal static class AspireDashboard
{
    /// <summary>Where the restore put it, recorded at build time as [AssemblyMetadata("AspireDashboardPath")].</summary>
    public static string Path { get; } = typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AspireDashboardPath").Value!;
}
