using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using TokenFunction.Functions;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Functions;

public class HealthFunctionTests
{
    [Fact]
    public async Task Healthy_in_local_mode_without_revealing_the_key_or_secret()
    {
        using var app = new TestApp();

        var response = ReadResponse.From(await app.CallHealthAsync());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("healthy", response.Json.GetProperty("status").GetString());
        Assert.Equal("configuration", response.Json.GetProperty("credentialsSource").GetString());
        Assert.DoesNotContain(TestApp.ApiKey, response.Body);
        Assert.DoesNotContain(TestApp.ApiSecret, response.Body);
    }

    [Fact]
    public async Task Unhealthy_with_the_reason_when_credentials_are_not_loaded()
    {
        var provider = new Mock<ISigningCredentialsProvider>();
        provider.Setup(p => p.GetHealth()).Returns(new CredentialsHealth(false, "keyVault", null, "Key Vault answered 403 ForbiddenByRbac."));
        using var app = new TestApp(configure: services => services.AddSingleton(provider.Object));

        var response = ReadResponse.From(await app.CallHealthAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
        Assert.Equal("unhealthy", response.Json.GetProperty("status").GetString());
        Assert.Contains("ForbiddenByRbac", response.Json.GetProperty("reason").GetString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }
}
