using Microsoft.Extensions.Configuration;

namespace TokenFunction.Callers;

/// <summary>
/// Whether callers sign in (<c>CallerAuth:Authority</c> is set) or are anonymous, decided once from configuration
/// when the app is composed. Other features ask this rather than <c>IOptions&lt;CallerAuthOptions&gt;</c>, whose
/// validation would otherwise fail a second time inside theirs.
/// </summary>
internal sealed record CallerAuthMode(bool CallersSignIn)
{
    public static CallerAuthMode From(IConfiguration configuration) =>
        new(configuration.GetSection(CallerAuthOptions.SectionName).Get<CallerAuthOptions>()?.HasAuthority == true);
}
