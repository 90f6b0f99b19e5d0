namespace TokenFunction.Callers;

/// <summary>
/// A Redis user and password that expire, such as a Microsoft Entra token used as the password (Azure Managed Redis).
/// <see cref="RenewingRedisCredentials"/> asks again before <see cref="RedisCredential.ExpiresOn"/>.
/// </summary>
internal interface IRedisCredentialSource
{
    /// <summary>For log lines: where the credential comes from, never the credential.</summary>
    string Description { get; }

    Task<RedisCredential> GetAsync(CancellationToken cancellationToken);
}

/// <summary>What Redis's AUTH takes, and until when the server accepts it.</summary>
internal sealed record RedisCredential(string User, string Password, DateTimeOffset ExpiresOn)
{
    /// <summary>The user and expiry only: a record would print the password.</summary>
    public override string ToString() => $"Redis user '{User}' until {ExpiresOn:u}";
}
