namespace TokenFunction.Tests.Infra;

/// <summary>The repository's infra/ folder, and throw-away copies of it to compile variants in.</summary>
public sealed class InfraWorkspace : IDisposable
{
    public const string MainTemplate = "main.bicep";
    public const string MainParameters = "main.bicepparam";

    private InfraWorkspace(string directory, bool isCopy)
    {
        Directory = directory;
        IsCopy = isCopy;
    }

    public string Directory { get; }

    private bool IsCopy { get; }

    // Declared before Source, which needs it: static initializers run in textual order.
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static InfraWorkspace Source { get; } = new(Path.Combine(RepositoryRoot, "infra"), isCopy: false);

    /// <summary>
    /// A copy of infra/ in a temp folder (snapshots are written next to the parameters file, and broken
    /// variants must never touch the real template). Each edit must change main.bicep, or the variant
    /// would silently test the unbroken template.
    /// </summary>
    public static InfraWorkspace CopyOfSource(params (string Find, string Replace)[] templateEdits)
    {
        var copy = new InfraWorkspace(System.IO.Directory.CreateTempSubdirectory("infra-test-").FullName, isCopy: true);
        foreach (var file in System.IO.Directory.EnumerateFiles(Source.Directory).Where(IsBicepInput))
        {
            File.Copy(file, Path.Combine(copy.Directory, Path.GetFileName(file)));
        }

        var templatePath = Path.Combine(copy.Directory, MainTemplate);
        var template = File.ReadAllText(templatePath);
        foreach (var (find, replace) in templateEdits)
        {
            if (!template.Contains(find, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"main.bicep no longer contains '{find}': update the broken variant.");
            }
            template = template.Replace(find, replace, StringComparison.Ordinal);
        }
        File.WriteAllText(templatePath, template);
        return copy;
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        if (IsCopy)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static bool IsBicepInput(string path) =>
        Path.GetExtension(path) is ".bicep" or ".bicepparam" || Path.GetFileName(path) == "bicepconfig.json";

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "infra", MainTemplate)))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No infra/{MainTemplate} above {AppContext.BaseDirectory}");
    }
}
