using Workflows.Model;

namespace Workflows;

/// <summary>
/// The workflows an engine can run, by name and version. Registration compiles and validates a workflow; a
/// run is started on the latest version unless a version is asked for, and stays on it.
/// </summary>
public sealed class WorkflowRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedList<string, WorkflowModel>> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates an empty registry; human steps' forms are checked with <paramref name="formValidator"/> (default: JSON Schema).</summary>
    public WorkflowRegistry(IFormValidator? formValidator = null) => FormValidator = formValidator ?? FormValidators.JsonSchema;

    /// <summary>Creates a registry holding <paramref name="workflows"/> (how dependency injection builds it).</summary>
    public WorkflowRegistry(IEnumerable<Workflow> workflows)
        : this(formValidator: null)
    {
        foreach (var workflow in workflows)
        {
            Register(workflow);
        }
    }

    /// <summary>
    /// Creates a registry holding <paramref name="workflows"/> and the graph workflows <paramref name="definitions"/>
    /// (how dependency injection builds it).
    /// </summary>
    public WorkflowRegistry(IEnumerable<Workflow> workflows, IEnumerable<WorkflowDefinition> definitions)
        : this(workflows)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (var definition in definitions)
        {
            Register(definition);
        }
    }

    /// <summary>Validates and adds an event-driven workflow.</summary>
    /// <exception cref="WorkflowValidationException">The workflow breaks a rule; every problem is listed.</exception>
    /// <exception cref="InvalidOperationException">That name and version are already registered.</exception>
    public void Register(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        Add(workflow.GetModel());
    }

    /// <summary>Validates and adds a graph workflow, compiled onto the same runtime.</summary>
    /// <exception cref="WorkflowValidationException">The definition breaks a rule; every problem is listed, each naming its step or edge.</exception>
    /// <exception cref="InvalidOperationException">That name and version are already registered.</exception>
    public void Register(WorkflowDefinition definition) => Add(GraphCompiler.Compile(definition, FormValidator));

    /// <summary>How human steps' forms are checked, at registration and when tasks are completed.</summary>
    public IFormValidator FormValidator { get; }

    /// <summary>The latest version of every workflow, by name.</summary>
    public IReadOnlyList<WorkflowInfo> List()
    {
        lock (_gate)
        {
            return _byName.Values.Select(v => Describe(v.Values[^1], v)).OrderBy(w => w.Name, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>One workflow (the latest version, or <paramref name="version"/>), or null.</summary>
    public WorkflowInfo? Find(string name, string? version = null)
    {
        lock (_gate)
        {
            return FindModel(name, version) is { } model ? Describe(model, _byName[name]) : null;
        }
    }

    /// <summary>One workflow version in full (the latest, or <paramref name="version"/>), or null.</summary>
    public WorkflowDescription? Describe(string name, string? version = null)
    {
        lock (_gate)
        {
            return FindModel(name, version) is { } model ? WorkflowDescriber.Describe(model, _byName[name].Keys.ToArray()) : null;
        }
    }

    /// <summary>Every registered version of every workflow.</summary>
    internal IReadOnlyList<WorkflowModel> AllModels()
    {
        lock (_gate)
        {
            return _byName.Values.SelectMany(v => v.Values).ToArray();
        }
    }

    internal WorkflowModel? FindModel(string name, string? version = null)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(name, out var versions))
            {
                return null;
            }
            return version is null ? versions.Values[^1] : versions.GetValueOrDefault(version);
        }
    }

    private void Add(WorkflowModel model)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(model.Name, out var versions))
            {
                _byName[model.Name] = versions = new SortedList<string, WorkflowModel>(SemanticVersionComparer.Instance);
            }
            if (!versions.TryAdd(model.Version, model))
            {
                throw new InvalidOperationException($"Workflow '{model.Name}' version {model.Version} is already registered.");
            }
        }
    }

    private static WorkflowInfo Describe(WorkflowModel model, SortedList<string, WorkflowModel> versions) =>
        new(model.Name, model.Version, model.Description, model.Kind, model.Steps.Select(s => s.Name).ToArray(), versions.Keys.ToArray());
}
