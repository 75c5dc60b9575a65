namespace Workflows.Server.Hosting;

/// <summary>Which workflows the server registers at start-up (configuration section <c>Workflows:Catalogue</c>).</summary>
public sealed class CatalogueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Catalogue";

    /// <summary>
    /// Registers the built-in catalogue (src/Definitions) with the engine. Default true: a server without
    /// settings still lists the examples.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
