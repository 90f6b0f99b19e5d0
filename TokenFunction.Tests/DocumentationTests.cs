using System.Reflection;
using TokenFunction.Http;
using TokenFunction.Tests.Infra;
using TokenFunction.Problems;

namespace TokenFunction.Tests;

/// <summary>The README is the API reference users read: it must list every error code and every setting the code has.</summary>
public class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "README.md"));

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
                .Select(p => $"{t.Section}__{p.Name}")));

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_error_code_is_in_the_README_error_table_with_its_status(string code, int status) =>
        Assert.Contains($"| {status} | `{code}` |", Readme, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_setting_is_in_the_README_configuration_table(string setting) =>
        Assert.Contains($"| `{setting}", Readme, StringComparison.Ordinal);
}
