using Microsoft.Extensions.Options;
using TokenFunction.Secrets;
using TokenFunction.Problems;
using TokenFunction.VideoSdk;

namespace TokenFunction.Rooms;

/// <summary>
/// The crawler token this service presents to VideoSDK's REST API: signed on demand, reused until shortly
/// before it expires, and re-signed at once when the signing credentials rotate.
/// </summary>
public sealed class ManagementTokenSource(
    ISigningCredentialsProvider credentialsProvider,
    VideoSdkTokenMinter minter,
    IOptions<RoomsOptions> options,
    TimeProvider timeProvider)
{
    /// <summary>A token is replaced this long before it expires, so none expires in flight or on a skewed clock.</summary>
    public static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _lifetime = options.Value.ManagementTokenLifetime;
    private ManagementToken? _current;

    public async ValueTask<Outcome<ManagementToken>> GetAsync(CancellationToken cancellationToken)
    {
        var lookup = await credentialsProvider.GetAsync(cancellationToken);
        if (lookup.Credentials is null)
        {
            return lookup.Refusal("VideoSDK cannot be called");
        }

        var current = Volatile.Read(ref _current);
        if (current is not null
            && ReferenceEquals(current.SignedWith, lookup.Credentials)
            && timeProvider.GetUtcNow() < current.ExpiresAt - RenewBeforeExpiry)
        {
            return current;
        }

        // No lock: two requests racing past expiry each sign a token (microseconds of work), and either
        // result is valid; the last write wins.
        var fresh = minter.MintManagementToken(_lifetime, lookup.Credentials);
        Volatile.Write(ref _current, fresh);
        return fresh;
    }
}
