using System.Text.Json;
using TokenFunction.Tests.Infra;

namespace TokenFunction.Tests.Contract;

/// <summary>openapi.yaml through the linters and generators a user would point at it.</summary>
[Trait("Category", ContractTooling.Lane)]
public sealed class ContractToolingTests
{
    [Fact]
    public async Task Redocly_recommended_ruleset_finds_no_error_and_no_warning()
    {
        var run = await ContractTooling.NpmAsync("lint", arguments: ["--format=json"]);

        using var report = JsonDocument.Parse(run.Output[run.Output.IndexOf('{', StringComparison.Ordinal)..]);
        var totals = report.RootElement.GetProperty("totals");
        Assert.True(totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0,
            "redocly lint: " + report.RootElement.GetProperty("problems"));
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Every_schema_compiles_as_strict_JSON_Schema_2020_12()
    {
        var run = await ContractTooling.NpmAsync("check-schemas");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("#/components/schemas/Problem", run.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The slip of 1.0.0: an unquoted description with a comma in a YAML flow mapping cuts the text, and the
    /// rest becomes a schema keyword. Both checks must refuse it.
    /// </summary>
    [Fact]
    public async Task An_unquoted_description_that_YAML_cuts_is_refused_by_the_strict_compile_and_by_Redocly()
    {
        const string Quoted = "description: 'For developers: may name what was wrong, never echoes secrets or tokens.' }";
        var contract = File.ReadAllText(ContractVersions.ContractPath);
        Assert.Contains(Quoted, contract, StringComparison.Ordinal);
        var slipped = Path.Combine(Path.GetTempPath(), $"openapi-slip-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(slipped, contract.Replace(Quoted, "description: For developers; may name what was wrong, never echoes secrets or tokens. }", StringComparison.Ordinal));
        try
        {
            var compile = await ContractTooling.NpmAsync("check-schemas", arguments: [slipped]);
            var lint = await ContractTooling.RunAsync("npx", ["--no-install", "redocly", "lint", "--config", "redocly.yaml", slipped, "--format=summary"], ContractTooling.NodeProject);

            Assert.NotEqual(0, compile.ExitCode);
            Assert.Contains("unknown keyword: \"never echoes secrets or tokens.\"", compile.Errors, StringComparison.Ordinal);
            Assert.NotEqual(0, lint.ExitCode);
        }
        finally
        {
            File.Delete(slipped);
        }
    }

    /// <summary>The Kiota client the tests compile is the one Kiota 1.38.0 (the tool manifest's) makes from today's contract.</summary>
    [Fact]
    public async Task The_committed_Kiota_client_is_what_Kiota_generates_from_the_contract()
    {
        var committed = Path.Combine(InfraWorkspace.RepositoryRoot, "TokenFunction.Tests", "Contract", "KiotaClient");
        var fresh = Path.Combine(Path.GetTempPath(), "kiota-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = await ContractTooling.KiotaAsync(["generate", .. KiotaArguments(fresh)], InfraWorkspace.RepositoryRoot);
            Assert.True(run.ExitCode == 0, run.ToString());

            var expected = SourceFiles(committed);
            var actual = SourceFiles(fresh);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            var differing = expected.Where(file => file.Value != actual[file.Key]).Select(file => file.Key);
            Assert.True(!differing.Any(), "regenerate the Kiota client (docs/clients.md): these differ: " + string.Join(", ", differing));
            Assert.Equal(LockHash(committed), LockHash(fresh));
        }
        finally
        {
            if (Directory.Exists(fresh))
            {
                Directory.Delete(fresh, recursive: true);
            }
        }
    }

    /// <summary>docs/clients.md: a Kiota client whose base URL was not set fails before a request leaves the process.</summary>
    [Fact]
    public async Task A_Kiota_client_left_on_the_contract_server_fails_at_once()
    {
        var sent = 0;
        using var http = new HttpClient(new CountingHandler(() => sent++));
        var client = new KiotaClient.TokenFunctionClient(
            new Microsoft.Kiota.Http.HttpClientLibrary.HttpClientRequestAdapter(new Microsoft.Kiota.Abstractions.Authentication.AnonymousAuthenticationProvider(), httpClient: http));

        await Assert.ThrowsAnyAsync<UriFormatException>(() => client.Health.GetAsync());

        Assert.Equal(0, sent);
    }

    private sealed class CountingHandler(Action onSend) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }

    /// <summary>The arguments of docs/clients.md's Kiota command, with <paramref name="output"/> as the output folder.</summary>
    public static string[] KiotaArguments(string output) =>
    [
        "-l", "CSharp", "-d", "openapi/openapi.yaml", "-o", output,
        "-n", "TokenFunction.Tests.Contract.KiotaClient", "-c", "TokenFunctionClient", "--exclude-backward-compatible", "--clean-output",
    ];

    private static Dictionary<string, string> SourceFiles(string folder) =>
        Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(folder, path), File.ReadAllText);

    private static string LockHash(string folder)
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "kiota-lock.json")));
        return lockFile.RootElement.GetProperty("descriptionHash").GetString()!;
    }
}
