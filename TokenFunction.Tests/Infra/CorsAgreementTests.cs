using System.Text.Json;
using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// One origin list, two readings: local.settings.json's <c>Host.CORS</c> as the host stand-in (and Core Tools) reads
/// it, and the azd environment's <c>CORS_ALLOWED_ORIGINS</c> through main.bicepparam into the site's
/// <c>siteConfig.cors.allowedOrigins</c>, evaluated by the ARM engine. A page allowed locally is allowed in Azure.
/// </summary>
[Collection(InfraTestGroup.Name)]
public sealed class CorsAgreementTests(InfraFixture infra)
{
    [Fact]
    public void The_same_list_allows_the_same_origins_locally_and_in_Azure()
    {
        var list = InfraFixture.PipelineEnvironment["CORS_ALLOWED_ORIGINS"];
        var settingsFile = Path.Combine(Directory.CreateTempSubdirectory("cors-agreement-").FullName, "local.settings.json");
        File.WriteAllText(settingsFile, JsonSerializer.Serialize(new { Values = new { }, Host = new { CORS = list } }));

        var local = new FunctionsHostOptions().WithSettingsFile(settingsFile).Cors!.AllowedOrigins;
        var azure = (infra.Pipeline.FunctionApp!.At("properties.siteConfig.cors.allowedOrigins") as JsonArray)!
            .Select(origin => origin!.GetValue<string>()).ToList();

        Assert.Equal(["https://app.example.com", "https://admin.example.com"], local);
        Assert.Equal(local, azure);
        Assert.Equal(false, infra.Pipeline.FunctionApp!.At("properties.siteConfig.cors.supportCredentials")?.GetValue<bool>());
    }

    [Fact]
    public void Without_the_environment_value_no_origin_is_allowed_in_Azure()
    {
        var origins = infra.Default.FunctionApp!.At("properties.siteConfig.cors.allowedOrigins");

        Assert.True(JsonNode.DeepEquals(new JsonArray(), origins), origins?.ToJsonString());
    }
}
