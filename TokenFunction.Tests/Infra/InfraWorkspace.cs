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
    /// A copy of infra/ with its module folders in a temp folder (snapshots are written next to the parameters
    /// file, and broken variants must never touch the real template). Each edit names the file it changes
    /// (relative to infra/) and must change it, or the variant would silently test the unbroken template.
    /// </summary>
    public static InfraWorkspace CopyOfSource(params (string File, string Find, string Replace)[] edits)
    {
        var copy = new InfraWorkspace(System.IO.Directory.CreateTempSubdirectory("infra-test-").FullName, isCopy: true);
        foreach (var file in System.IO.Directory.EnumerateFiles(Source.Directory, "*", SearchOption.AllDirectories).Where(IsBicepInput))
        {
            var target = Path.Combine(copy.Directory, Path.GetRelativePath(Source.Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (var (file, find, replace) in edits)
        {
            var path = Path.Combine(copy.Directory, file);
            var text = File.ReadAllText(path);
            if (!text.Contains(find, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{file} no longer contains '{find}': update the broken variant.");
            }
            File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        }
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
        Path.GetExtension(path) is ".bicep" or ".bicepparam" or ".json" && !path.EndsWith(".snapshot.json", StringComparison.Ordinal);

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
