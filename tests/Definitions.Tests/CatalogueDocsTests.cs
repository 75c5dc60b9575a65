namespace Workflows.Definitions.Tests;

/// <summary>docs/catalogue.md has one section per built-in workflow, and none for a workflow that does not exist.</summary>
public sealed class CatalogueDocsTests
{
    [Fact]
    public void CatalogueDoc_HasOneSectionPerBuiltInWorkflow()
    {
        var registry = new WorkflowRegistry(BuiltInDefinitions.EventDriven(), BuiltInDefinitions.Graph());
        var doc = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "catalogue.md"));

        var sections = doc.Where(line => line.StartsWith("### `", StringComparison.Ordinal))
            .Select(line => line["### `".Length..line.IndexOf('`', "### `".Length)])
            .ToArray();

        Assert.Equal(registry.List().Select(w => w.Name).Order(StringComparer.Ordinal), sections.Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Workflows.sln above {AppContext.BaseDirectory}.");
    }
}
