using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace TokenFunction;

internal static class Program
{
    public static void Main(string[] args) => CreateHost(args).Run();

    /// <summary>The whole composition, separate from <see cref="Main"/> so tests can build the container without a Functions host.</summary>
    public static IHost CreateHost(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.Services.AddTokenFunction(builder.Configuration);
        builder.UseTokenFunctionMiddleware();
        return builder.Build();
    }
}
