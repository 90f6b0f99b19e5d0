using System.Text;

namespace TokenFunction.Secrets;

/// <summary>
/// The VideoSDK API key and secret that sign tokens. <see cref="ToString"/> is redacted so that no
/// log template, exception or debugger display can leak either value.
/// </summary>
public sealed class SigningCredentials
{
    public SigningCredentials(string apiKey, string apiSecret, string? version = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiSecret);
        ApiKey = apiKey;
        // VideoSDK's own servers sign with the secret string as the HMAC key, i.e. its UTF-8 bytes.
        SecretBytes = Encoding.UTF8.GetBytes(apiSecret);
        Version = version;
    }

    public string ApiKey { get; }

    public byte[] SecretBytes { get; }

    /// <summary>The Key Vault version of the secret, when it came from a vault: safe to log, useful after a rotation.</summary>
    public string? Version { get; }

    public override string ToString() => $"SigningCredentials(version: {Version ?? "n/a"}, key and secret redacted)";
}
