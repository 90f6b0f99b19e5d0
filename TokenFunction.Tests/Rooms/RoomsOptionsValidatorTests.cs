using Microsoft.Extensions.Options;
using TokenFunction.Rooms;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Rooms;

public sealed class RoomsOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(RoomsOptions options) => new RoomsOptionsValidator().Validate(null, options);

    [Theory]
    [InlineData("https://api.videosdk.live")]
    [InlineData("https://videosdk-proxy.example.com/base/")]
    [InlineData("http://127.0.0.1:5123")]
    [InlineData("http://localhost:5123/")]
    [InlineData("http://[::1]:5123/")]
    public void Https_anywhere_and_plain_http_to_loopback_are_accepted(string url) =>
        Assert.True(Validate(new RoomsOptions { VideoSdkBaseUrl = new Uri(url) }).Succeeded);

    [Theory]
    [InlineData("http://api.videosdk.live")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://api.videosdk.live")]
    [InlineData("https://api.videosdk.live/?key=1")]
    [InlineData("/v2")]
    public void Anything_else_is_refused_naming_the_setting(string url)
    {
        var result = Validate(new RoomsOptions { VideoSdkBaseUrl = new Uri(url, UriKind.RelativeOrAbsolute) });

        Assert.True(result.Failed);
        Assert.Contains("Rooms:VideoSdkBaseUrl", result.FailureMessage);
    }

    [Theory]
    [InlineData(59, "Rooms:ManagementTokenLifetime")]
    [InlineData(3601, "Rooms:ManagementTokenLifetime")]
    public void Management_token_lifetime_is_bounded(int seconds, string setting)
    {
        var result = Validate(new RoomsOptions { ManagementTokenLifetime = TimeSpan.FromSeconds(seconds) });

        Assert.Contains(setting, result.FailureMessage);
    }

    [Theory]
    [InlineData(999)]
    [InlineData(60_001)]
    public void An_attempt_timeout_outside_1_second_to_1_minute_is_refused_with_the_bounds(int milliseconds)
    {
        var attempt = TimeSpan.FromMilliseconds(milliseconds);

        var result = Validate(new RoomsOptions { AttemptTimeout = attempt, TotalTimeout = TimeSpan.FromMinutes(1) });

        Assert.Contains($"Rooms:AttemptTimeout must be from 00:00:01 to 00:01:00; it is {attempt}.", result.FailureMessage);
    }

    [Fact]
    public void Total_timeout_may_not_be_shorter_than_one_attempt()
    {
        var result = Validate(new RoomsOptions { AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(5) });

        Assert.Contains("Rooms:TotalTimeout", result.FailureMessage);
    }

    [Fact]
    public void Defaults_are_valid_and_creation_is_off()
    {
        using var app = new TestApp();

        var options = app.Get<IOptions<RoomsOptions>>().Value;

        Assert.Equal(new Uri("https://api.videosdk.live"), options.VideoSdkBaseUrl);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ManagementTokenLifetime);
        Assert.False(options.AllowCreate);
    }

    [Fact]
    public void A_bad_setting_stops_the_app_with_the_setting_named()
    {
        using var app = new TestApp(new Dictionary<string, string?> { ["Rooms:VideoSdkBaseUrl"] = "http://api.videosdk.live" });

        var failure = Assert.Throws<OptionsValidationException>(() => app.Get<IOptions<RoomsOptions>>().Value);

        Assert.Contains("Rooms:VideoSdkBaseUrl", failure.Message);
    }
}
