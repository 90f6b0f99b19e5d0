using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using TokenFunction.Http;
using TokenFunction.Tests.Infra;
using TokenFunction.Problems;

namespace TokenFunction.Tests;

/// <summary>
/// The reference users read: docs/errors.md lists every error code and docs/configuration.md every setting the
/// code has; the README stays a short front page whose Reference list reaches every page under docs/.
/// </summary>
public partial class DocumentationTests
{
    private static readonly string Readme = Read("README.md");
    private static readonly string ErrorReference = Read("docs/errors.md");
    private static readonly string ConfigurationReference = Read("docs/configuration.md");

    public static TheoryData<string, int> Codes
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var error in ErrorCodes.All)
            {
                data.Add(error.Code, (int)error.Status);
            }

            return data;
        }
    }

    public static TheoryData<string> Settings => new(
        typeof(Program).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null)
            .SelectMany(t => t.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite)
                .Select(p => $"{t.Section!.Replace(":", "__", StringComparison.Ordinal)}__{p.Name}")));

    /// <summary>Settings read by name rather than through an options class: the telemetry exporters' and the platform's.</summary>
    public static TheoryData<string> NamedSettings => new(
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.Name.EndsWith("Setting", StringComparison.Ordinal) && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Concat(TokenFunction.Platform.HostingPlatform.PlatformSettings)
            .Distinct());

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_error_code_is_in_the_error_reference_with_its_status(string code, int status) =>
        Assert.Contains($"| {status} | `{code}` |", ErrorReference, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_setting_is_in_the_configuration_reference(string setting) =>
        Assert.Contains($"| `{setting}", ConfigurationReference, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(NamedSettings))]
    public void Every_setting_read_by_name_is_in_the_configuration_reference(string setting) =>
        Assert.Contains($"`{setting}`", ConfigurationReference, StringComparison.Ordinal);

    /// <summary>Long reference material belongs under docs/, so the front page stays readable top to bottom.</summary>
    [Fact]
    public void The_README_front_page_stays_under_12_KB() =>
        Assert.InRange(Encoding.UTF8.GetByteCount(Readme), 1, 12 * 1024);

    /// <summary>Every page under docs/ is reachable from the README's Reference list, and every link there resolves.</summary>
    [Fact]
    public void The_README_reference_list_links_every_docs_page()
    {
        var reference = Readme[Readme.IndexOf("\n## Reference\n", StringComparison.Ordinal)..];
        var linked = Regex.Matches(reference, @"\]\((docs/[^)#]+)").Select(match => match.Groups[1].Value).ToList();
        var pages = Directory.EnumerateFiles(Path.Combine(InfraWorkspace.RepositoryRoot, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path));

        Assert.Empty(pages.Except(linked));
        Assert.All(linked, link => Assert.True(File.Exists(Path.Combine(InfraWorkspace.RepositoryRoot, link)), $"{link} does not exist"));
    }

    /// <summary>The newcomer's order: what it is, prerequisites, run locally, deploy, use it from an app, reference.</summary>
    [Fact]
    public void The_README_sections_come_in_the_order_a_newcomer_needs_them()
    {
        string[] order = ["## Prerequisites", "## Run it locally and get a first token", "## Deploy to Azure", "## Use it from an app", "## Reference"];
        var headings = Readme.Split('\n').Where(line => line.StartsWith("## ", StringComparison.Ordinal)).ToList();

        Assert.Equal(order, headings.Where(order.Contains));
        Assert.Contains("dotnet test TokenFunctions.sln", Readme[..Readme.IndexOf("## Prerequisites", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    /// <summary>
    /// .ci/run runs the README's test command word for word, once, and installs nothing before it: what passes in CI
    /// passes for a newcomer on a fresh machine with the README's prerequisites, and a missing install step fails both.
    /// </summary>
    [Fact]
    public void CI_runs_the_README_test_command_and_installs_nothing_before_it()
    {
        var quickStart = Readme[Readme.IndexOf("```bash\n", StringComparison.Ordinal)..];
        var readmeCommand = quickStart.Split('\n').Single(line => line.EndsWith("# test it", StringComparison.Ordinal)).Split('#')[0].Trim();
        var ci = Read(".ci/run").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();

        var testCommands = ci.Where(line => line.StartsWith("dotnet test", StringComparison.Ordinal)).ToList();

        Assert.Equal([readmeCommand], testCommands);
        var installs = ci.TakeWhile(line => line != readmeCommand).Where(line => InstallStep().IsMatch(line));
        Assert.Empty(installs);
    }

    /// <summary>A command that installs something: a package manager, a tool restore, a download.</summary>
    [GeneratedRegex(@"\b(npm|npx|pnpm|yarn|apt-get|apt|pip3?|curl|wget)\b|\bdotnet\s+(tool|restore|workload)\b")]
    private static partial Regex InstallStep();

    private static string Read(string path) => File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, path));
}
