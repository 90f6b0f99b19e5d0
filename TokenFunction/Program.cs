using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using TokenFunction.Callers;
using TokenFunction.Rooms;
using TokenFunction.Secrets;
using TokenFunction.Telemetry;
using TokenFunction.Tokens;

namespace TokenFunction;

public static class Program
{
    public static void Main(string[] args) => CreateHost(args).Run();

    /// <summary>The whole composition, separate from <see cref="Main"/> so tests can build the container without a Functions host.</summary>
    public static IHost CreateHost(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.Services
            .AddSigningCredentials(builder.Configuration)
            .AddTokenIssuing()
            .AddCallers(builder.Configuration)
            .AddRooms()
            .AddServiceTelemetry(builder.Configuration, () => KeyVaultClientFactory.CreateCredential(
                builder.Configuration.GetSection(KeyVaultOptions.SectionName).Get<KeyVaultOptions>() ?? new KeyVaultOptions()));
        return builder.Build();
    }
}
