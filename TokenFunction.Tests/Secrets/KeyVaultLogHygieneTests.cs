using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;
using TokenFunction.Secrets;

namespace TokenFunction.Tests.Secrets;

/// <summary>The secret, the key and the managed-identity token never reach a log, on success or on any failure path.</summary>
[Collection(SharedManagedIdentity.Name)]
public sealed class KeyVaultLogHygieneTests(ManagedIdentityFixture identity)
{
    [Fact]
    public async Task No_secret_key_or_token_text_appears_in_app_or_Azure_SDK_logs_at_the_most_verbose_level()
    {
        // The Azure SDK logs (HTTP pipeline, Azure.Identity and MSAL) through EventSource, not ILogger.
        var sdkEvents = new ConcurrentQueue<string>();
        using (new AzureEventSourceListener((_, message) => sdkEvents.Enqueue(message), EventLevel.Verbose))
        {
            await using var pipeline = await SecretPipeline.StartAsync(identity);
            var valuesSet = await RunThroughEveryPathAsync(pipeline);

            var appLog = string.Join("\n", pipeline.Logs.GetSnapshot().Select(record =>
                $"{record.Message} {record.Exception} {string.Join(' ', record.StructuredState?.Select(pair => pair.Value) ?? [])}"));
            var sdkLog = string.Join("\n", sdkEvents);

            // The capture is real: it saw this vault's traffic and the app's failure reports.
            Assert.Contains(pipeline.Vault.VaultUri.Authority, sdkLog, StringComparison.Ordinal);
            Assert.Contains(KeyVaultFailure.ForbiddenByRbac, appLog, StringComparison.Ordinal);
            Assert.Contains("rotated", appLog, StringComparison.Ordinal);

            var forbidden = valuesSet
                .Concat(identity.Identity.Grants.Where(grant => grant.Resource == pipeline.Vault.Resource).Select(grant => grant.AccessToken))
                .Append(identity.Identity.IdentityHeader)
                .ToList();
            Assert.True(forbidden.Count >= 6, "Four secret values, at least one token, the identity header.");
            Assert.All(forbidden, text =>
            {
                Assert.DoesNotContain(text, appLog, StringComparison.Ordinal);
                Assert.DoesNotContain(text, sdkLog, StringComparison.Ordinal);
            });
        }
    }

    /// <summary>Refused by RBAC, loaded, rotated, failed by 503 and by reset connections, recovered; returns every value set.</summary>
    private static async Task<List<string>> RunThroughEveryPathAsync(SecretPipeline pipeline)
    {
        var values = new List<string>();
        void SetKeyAndSecret()
        {
            values.Add(SecretValues.NewApiKey());
            pipeline.Vault.SetSecret(SecretPipeline.KeyName, values[^1]);
            values.Add(SecretValues.NewApiSecret());
            pipeline.Vault.SetSecret(SecretPipeline.SecretName, values[^1]);
        }

        SetKeyAndSecret();
        pipeline.Vault.ForbidNextReads(1);
        Assert.False(await pipeline.Cache.RefreshAsync());
        Assert.True(await pipeline.Cache.RefreshAsync());

        SetKeyAndSecret();
        Assert.True(await pipeline.Cache.RefreshAsync());

        foreach (var outage in new[] { VaultOutage.ServiceUnavailable, VaultOutage.ConnectionReset })
        {
            pipeline.Vault.Outage = outage;
            Assert.False(await pipeline.Cache.RefreshAsync());
        }

        pipeline.Vault.Outage = VaultOutage.None;
        Assert.True(await pipeline.Cache.RefreshAsync());
        return values;
    }
}
