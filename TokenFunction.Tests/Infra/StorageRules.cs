using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>The host's storage account: hardened, and reached only with the app's identity.</summary>
public static class StorageRules
{
    private static readonly string[] KeyMaterialMarkers = ["AccountKey=", "SharedAccessSignature=", "listKeys(", "listAccountSas(", "listServiceSas("];

    public static readonly InfraRule StorageSharedKeyDisabled = new(nameof(StorageSharedKeyDisabled), d =>
        Each(d, ResourceTypes.Storage, storage => Value(storage, "properties.allowSharedKeyAccess", false)));

    public static readonly InfraRule StorageTls12AndHttpsOnly = new(nameof(StorageTls12AndHttpsOnly), d =>
        Each(d, ResourceTypes.Storage, storage => Values(storage,
            ("properties.minimumTlsVersion", "TLS1_2"), ("properties.supportsHttpsTrafficOnly", true))));

    public static readonly InfraRule StorageHasNoPublicBlobAccess = new(nameof(StorageHasNoPublicBlobAccess), d =>
        Each(d, ResourceTypes.Storage, storage => Value(storage, "properties.allowBlobPublicAccess", false))
            .Concat(d.OfType(ResourceTypes.BlobContainer).SelectMany(container => Value(container, "properties.publicAccess", "None"))));

    /// <summary>
    /// AzureWebJobsStorage by blob endpoint and identity: no connection string, key or SAS in any setting; the
    /// endpoint built from the cloud's storage suffix, so sovereign clouds resolve.
    /// </summary>
    public static readonly InfraRule HostStorageIsIdentityBased = new(nameof(HostStorageIsIdentityBased), d =>
    {
        var settings = d.AppSettings;
        var storageNames = d.OfType(ResourceTypes.Storage).Select(storage => storage.Name()).ToList();
        return That(!settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage is a connection string")
            .Concat(That(settings.TryGetValue("AzureWebJobsStorage__blobServiceUri", out var blob)
                    && blob.StartsWith("[format('https://{0}.blob.{1}', ", StringComparison.Ordinal)
                    && storageNames.Any(name => blob.Contains($"'{name}'", StringComparison.Ordinal))
                    && blob.EndsWith(", environment().suffixes.storage)]", StringComparison.Ordinal),
                $"AzureWebJobsStorage__blobServiceUri is not https://<the deployment's account>.blob.<the cloud's storage suffix>: {blob}"))
            .Concat(That(settings.GetValueOrDefault("AzureWebJobsStorage__credential") == "managedidentity",
                "AzureWebJobsStorage__credential is not managedidentity"))
            .Concat(settings.Where(setting => KeyMaterialMarkers.Any(marker => setting.Value.Contains(marker, StringComparison.OrdinalIgnoreCase)))
                .Select(setting => $"app setting {setting.Key} carries key material"));
    });

    /// <summary>Reads, writes and deletes of blobs (the host's keys, the deployment package) and the blob transactions are kept.</summary>
    public static readonly InfraRule BlobServiceLogsGoToLogAnalytics = new(nameof(BlobServiceLogsGoToLogAnalytics), d =>
        Each(d, ResourceTypes.Storage, storage =>
            AllLogsAndMetricsGoToTheWorkspace(d, $"{storage.Id()}/blobServices/default", $"{storage.Name()}/default", "Transaction")));

    public static readonly InfraRule AppIdentityOwnsHostBlobData = new(nameof(AppIdentityOwnsHostBlobData), d =>
        Each(d, ResourceTypes.Storage, storage =>
            AppIdentityHasRoleOn(d, storage, RoleDefinitions.StorageBlobDataOwner, "Storage Blob Data Owner")));
}
