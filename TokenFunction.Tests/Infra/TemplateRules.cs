using System.Text.Json.Nodes;
using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>Parameters, outputs, settings, naming, location and tags.</summary>
public static class TemplateRules
{
    private static readonly Dictionary<string, string> ResourceAbbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        [ResourceTypes.Plan] = "asp-", [ResourceTypes.Site] = "func-", [ResourceTypes.KeyVault] = "kv-",
        [ResourceTypes.Storage] = "st", [ResourceTypes.LogAnalytics] = "log-", [ResourceTypes.AppInsights] = "appi-",
        [ResourceTypes.VirtualNetwork] = "vnet-", [ResourceTypes.PrivateEndpoint] = "pe-", [ResourceTypes.UserAssignedIdentity] = "id-",
        [ResourceTypes.RedisCluster] = "redis-",
    };

    // The allowed list of the Flex Consumption azd quickstart (Azure-Samples/functions-quickstart-dotnet-azd,
    // infra/main.bicep at fe74255, committed 2026-02-24, read 2026-12-07), less its canary region eastus2euap
    // (an early-access region ordinary subscriptions cannot deploy to). Microsoft's Flex Consumption docs
    // (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#considerations, "Regions") defer to
    // `az functionapp list-flexconsumption-locations`, which cannot run here.
    private static readonly string[] FlexConsumptionRegions =
    [
        "australiaeast", "australiasoutheast", "brazilsouth", "canadacentral", "centralindia", "centralus", "eastasia", "eastus",
        "eastus2", "francecentral", "germanywestcentral", "italynorth", "japaneast", "koreacentral", "northcentralus", "northeurope",
        "norwayeast", "southafricanorth", "southcentralus", "southeastasia", "southindia", "spaincentral", "swedencentral",
        "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope", "westus", "westus2", "westus3",
    ];

    // The defaults the app is built against (issue 3); a change here is a change of the service's behaviour.
    private static readonly Dictionary<string, string> DefaultPolicySettings = new(StringComparer.Ordinal)
    {
        ["KeyVault__ApiSecretName"] = "videosdk-api-secret",
        ["KeyVault__ApiKeySecretName"] = "videosdk-api-key",
        ["KeyVault__RefreshInterval"] = "00:05:00",
        ["KeyVault__MaxStaleness"] = "01:00:00",
        ["Tokens__DefaultTtlSeconds"] = "86400",
        ["Tokens__MaxTtlSeconds"] = "86400",
        ["Tokens__AllowedPermissions__0"] = "allow_join",
        ["Tokens__AllowedPermissions__1"] = "ask_join",
        ["Tokens__DefaultPermissions__0"] = "allow_join",
    };

    public static readonly InfraRule OutputsCarryNoSecrets = new(nameof(OutputsCarryNoSecrets), d =>
    {
        var secureParameters = d.Template["parameters"]!.AsObject()
            .Where(parameter => parameter.Value!.Text("type") is "securestring" or "secureObject")
            .Select(parameter => $"parameters('{parameter.Key}')");
        string[] secretMarkers = [.. secureParameters, "list", "ConnectionString", "InstrumentationKey", "secrets"];
        return d.Template["outputs"]!.AsObject().SelectMany(output =>
            That(output.Value!.Text("type") is not ("securestring" or "secureObject"), $"output {output.Key} is secure-typed")
                .Concat(secretMarkers.Where(marker => (output.Value!.Text("value") ?? "").Contains(marker, StringComparison.OrdinalIgnoreCase))
                    .Select(marker => $"output {output.Key} exposes {marker}")));
    });

    public static readonly InfraRule OutputsNameAppEndpointVaultAndInsights = new(nameof(OutputsNameAppEndpointVaultAndInsights), d =>
    {
        var app = d.FunctionApp;
        var vault = d.OfType(ResourceTypes.KeyVault).FirstOrDefault();
        var insights = d.OfType(ResourceTypes.AppInsights).FirstOrDefault();
        string? Output(string name) => d.Outputs[name] is JsonValue value ? value.GetValue<string>() : null;
        return That(app is not null && Output("FUNCTION_APP_NAME") == app.Name(), "FUNCTION_APP_NAME is not the function app's name")
            .Concat(That(app is not null && (Output("TOKEN_ENDPOINT_URL") ?? "").StartsWith($"[format('https://{{0}}/api/token', reference('{app.Id()}'", StringComparison.Ordinal)
                && (Output("TOKEN_ENDPOINT_URL") ?? "").EndsWith(").defaultHostName)]", StringComparison.Ordinal),
                $"TOKEN_ENDPOINT_URL is not https://<app host>/api/token: {Output("TOKEN_ENDPOINT_URL")}"))
            .Concat(That(vault is not null && (Output("KEY_VAULT_URI") ?? "").Contains($"'{vault.Id()}'", StringComparison.Ordinal)
                && (Output("KEY_VAULT_URI") ?? "").EndsWith(".vaultUri]", StringComparison.Ordinal), "KEY_VAULT_URI is not the vault's URI"))
            .Concat(That(insights is not null && Output("APPLICATION_INSIGHTS_NAME") == insights.Name(), "APPLICATION_INSIGHTS_NAME is not the App Insights name"));
    });

    /// <summary>The app finds its vault and its credentials there under two distinct names.</summary>
    public static readonly InfraRule AppSettingsPointAtTheVaultAndItsSecrets = new(nameof(AppSettingsPointAtTheVaultAndItsSecrets), d =>
    {
        var settings = d.AppSettings;
        var vault = d.OfType(ResourceTypes.KeyVault).FirstOrDefault();
        var vaultUri = settings.GetValueOrDefault("KeyVault__VaultUri", "");
        var secretNames = new[] { "KeyVault__ApiSecretName", "KeyVault__ApiKeySecretName" }.Select(name => settings.GetValueOrDefault(name, "")).ToList();
        return That(vault is not null && vaultUri.Contains($"'{vault.Id()}'", StringComparison.Ordinal) && vaultUri.EndsWith(".vaultUri]", StringComparison.Ordinal),
                $"KeyVault__VaultUri is not the deployment's vault URI: {vaultUri}")
            .Concat(That(secretNames.All(name => name.Length > 0) && secretNames.Distinct().Count() == secretNames.Count,
                $"the secret name settings are not two distinct names: [{string.Join(", ", secretNames)}]"));
    });

    public static readonly InfraRule PolicySettingsHaveTheAgreedDefaults = new(nameof(PolicySettingsHaveTheAgreedDefaults), d =>
        DefaultPolicySettings.Where(expected => d.AppSettings.GetValueOrDefault(expected.Key) != expected.Value)
            .Select(expected => $"{expected.Key} is '{d.AppSettings.GetValueOrDefault(expected.Key)}', expected '{expected.Value}'"));

    /// <summary>
    /// Exactly the regions with Flex Consumption are accepted (validation fails before anything is created; no
    /// canary region), azd offers them as a location choice, and every resource of every module is placed in
    /// that one location.
    /// </summary>
    public static readonly InfraRule LocationIsAFlexConsumptionRegion = new(nameof(LocationIsAFlexConsumptionRegion), d =>
    {
        var location = d.TemplateParameter("location");
        var allowed = (location["allowedValues"] as JsonArray ?? []).Select(region => region!.GetValue<string>()).ToList();
        return FlexConsumptionRegions.Except(allowed).Select(region => $"location does not allow the Flex Consumption region {region}")
            .Concat(allowed.Except(FlexConsumptionRegions).Select(region => $"location allows {region}, not a Flex Consumption region of the quickstart"))
            .Concat(Value(location, "metadata.azd.type", "location"))
            .Concat(That(location["defaultValue"] is null, "location has a default, which bypasses azd's location choice"))
            .Concat(d.TemplateResources()
                .Where(entry => entry.Resource.Text("location") is not null && !entry.Resource.Text("type")!.Equals("Microsoft.Resources/deployments", StringComparison.Ordinal))
                .Where(entry => d.MainExpression(entry.Path, "location") is not ("[parameters('location')]" or "global"))
                .Select(entry => $"{entry.Path} is placed in {d.MainExpression(entry.Path, "location")}, not the location parameter"));
    });

    /// <summary>Names are abbreviation + one uniqueString token, so every resource of a deployment shares it.</summary>
    public static readonly InfraRule NamesAreAbbreviationPlusResourceToken = new(nameof(NamesAreAbbreviationPlusResourceToken), d =>
    {
        var token = d.FunctionApp?.Name().Replace("func-", "", StringComparison.Ordinal) ?? "";
        return That(token.Length == 13 && token.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)), $"resource token '{token}' is not a 13-character uniqueString")
            .Concat(d.Resources.Where(resource => ResourceAbbreviations.ContainsKey(resource.Text("type")!))
                .Where(resource => !(resource.Name().StartsWith(ResourceAbbreviations[resource.Text("type")!], StringComparison.Ordinal)
                    && resource.Name().EndsWith(token, StringComparison.Ordinal)))
                .Select(resource => $"{resource.Name()} is not {ResourceAbbreviations[resource.Text("type")!]}...{token}"));
    });

    public static readonly InfraRule EveryTrackedResourceIsTagged = new(nameof(EveryTrackedResourceIsTagged), d =>
        d.Resources.Where(resource => resource.At("location") is not null)
            .Where(resource => string.IsNullOrEmpty(resource.Text("tags.azd-env-name")))
            .Select(resource => $"{resource.Name()} has no azd-env-name tag")
            .Concat(Each(d, ResourceTypes.Site, site => Value(site, "tags.azd-service-name", AzureYaml.ServiceName))));
}
