using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using TokenFunction.Secrets;

namespace TokenFunction.Tests.Rooms;

/// <summary>Room creation in anonymous mode (no authority): Rooms:AllowCreate decides for everyone.</summary>
public sealed class RoomCreationPolicyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task Creation_is_refused_with_403_unless_enabled_and_VideoSDK_is_never_called(string? allowCreate)
    {
        await using var bed = await RoomsTestBed.StartAsync(new Dictionary<string, string?> { ["Rooms:AllowCreate"] = allowCreate });

        var problem = (await bed.CreateAsync("""{"customRoomId":"x"}""")).AssertProblem(HttpStatusCode.Forbidden, "room_create_not_allowed");

        Assert.Contains("Rooms:AllowCreate", problem.GetProperty("detail").GetString());
        Assert.Empty(bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task Validation_stays_open_when_creation_is_off()
    {
        await using var bed = await RoomsTestBed.StartAsync(new Dictionary<string, string?> { ["Rooms:AllowCreate"] = "false" });
        bed.VideoSdk.AddRoom("abcd-efgh-ijkl");

        Assert.Equal(HttpStatusCode.OK, (await bed.ValidateAsync("abcd-efgh-ijkl")).Status);
    }

    [Fact]
    public async Task Unavailable_signing_credentials_give_503_with_Retry_After_and_no_upstream_call()
    {
        var provider = new Mock<ISigningCredentialsProvider>();
        provider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(CredentialsLookup.Unavailable("Key Vault is unreachable.", TimeSpan.FromSeconds(4)));
        await using var bed = await RoomsTestBed.StartAsync(configure: services => services.AddSingleton(provider.Object));

        var response = await bed.ValidateAsync("abcd-efgh-ijkl");

        response.AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
        Assert.Equal("4", response.Header("Retry-After"));
        Assert.Empty(bed.VideoSdk.Requests);
    }
}
