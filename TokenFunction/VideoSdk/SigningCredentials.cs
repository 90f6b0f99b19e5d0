using System.Text;

namespace TokenFunction.VideoSdk;

/// <summary>
/// The VideoSDK API key and secret that sign tokens. <see cref="ToString"/> is redacted so that no
/// log template, exception or debugger display can leak either value.
/// </summary>
public sealed class SigningCredentials
{
    /// <summary>
    /// HS256 needs a key of at least 256 bits (RFC 7518 §3.2); VideoSDK's dashboard secrets are 64 hex
    /// characters. Counted in UTF-8 bytes, the form the secret signs in.
    /// </summary>
    public const int MinimumSecretBytes = 32;

    public SigningCredentials(string apiKey, string apiSecret, string? version = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiSecret);
        ApiKey = apiKey;
        // VideoSDK's own servers sign with the secret string as the HMAC key, i.e. its UTF-8 bytes.
        SecretBytes = Encoding.UTF8.GetBytes(apiSecret);
        Version = version;
    }

    /// <summary>The rule for a secret from any source; the caller names the setting or secret in its refusal.</summary>
    public static bool IsStrongEnough(string apiSecret) => Encoding.UTF8.GetByteCount(apiSecret) >= MinimumSecretBytes;

    /// <summary>The refusal's wording, shared by every source; never the value nor its length.</summary>
    public static string TooShort(string secretName) =>
        $"{secretName} is shorter than {MinimumSecretBytes} bytes (UTF-8): HS256 needs a key of at least 256 bits. "
        + "Use the API secret from VideoSDK's dashboard (64 hex characters).";

    public string ApiKey { get; }

    public byte[] SecretBytes { get; }

    /// <summary>The Key Vault version of the secret, when it came from a vault: safe to log, useful after a rotation.</summary>
    public string? Version { get; }

    public override string ToString() => $"SigningCredentials(version: {Version ?? "n/a"}, key and secret redacted)";
}
