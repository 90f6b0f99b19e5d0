namespace TokenFunction.Tests.Infra;

/// <summary>
/// The matcher behind the app settings cross-check, tried on stand-in options classes: that check cannot pass
/// until the app's own options classes exist, so its matching is shown to work here.
/// </summary>
public sealed class OptionsSectionsTests
{
    private static readonly OptionsSections Sections = OptionsSections.Of(typeof(OptionsSectionsTests).Assembly);

    [Theory]
    [InlineData("SampleVault__VaultUri")]
    [InlineData("samplevault__vaulturi")]
    [InlineData("SampleVault__Names__0")]
    [InlineData("SampleVault__Retry__MaxAttempts")]
    public void KeyBindsToAPropertyOfTheSection(string key) => Assert.True(Sections.Binds(key));

    [Theory]
    [InlineData("SampleVault__VaultUrl")]
    [InlineData("Unknown__VaultUri")]
    [InlineData("SampleVault__Retry__Delay")]
    public void KeyWithoutAMatchingPropertyDoesNotBind(string key) => Assert.False(Sections.Binds(key));

    public sealed class SampleVaultOptions
    {
        public const string SectionName = "SampleVault";

        public Uri? VaultUri { get; set; }

        public IReadOnlyList<string> Names { get; set; } = [];

        public SampleRetryOptions Retry { get; set; } = new();
    }

    public sealed class SampleRetryOptions
    {
        public int MaxAttempts { get; set; }
    }
}
