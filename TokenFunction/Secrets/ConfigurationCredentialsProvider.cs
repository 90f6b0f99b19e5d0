using Microsoft.Extensions.Options;
using TokenFunction.VideoSdk;

namespace TokenFunction.Secrets;

/// <summary>Local development: the key and secret from configuration (local.settings.json), always available.</summary>
internal sealed class ConfigurationCredentialsProvider(IOptions<VideoSdkOptions> options) : ISigningCredentialsProvider
{
    public const string SourceName = "configuration";

    private readonly CredentialsLookup _lookup =
        CredentialsLookup.Available(new SigningCredentials(options.Value.ApiKey!, options.Value.ApiSecret!));

    public ValueTask<CredentialsLookup> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_lookup);

    public CredentialsHealth GetHealth() => new(true, SourceName, null);
}
