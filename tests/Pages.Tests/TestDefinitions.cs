using System.Text.Json.Nodes;

namespace Workflows.Pages.Tests;

/// <summary>Graph workflows with one human step each, whose forms exercise the page's form generator.</summary>
public static class TestDefinitions
{
    public const string Hostile = "test_hostile_form";
    public const string Checked = "test_checked_form";
    public const string Overdue = "test_overdue_task";

    /// <summary>Text that would run, or change the page, if a page ever parsed it as markup.</summary>
    public const string ScriptTitle = "<script>window.pwned = 1</script>Review <b>this</b>";
    public const string ImageDescription = "<img src=x onerror=\"window.pwned = 2\">Look closely.";
    public const string ScriptFieldTitle = "<script>window.pwned = 3</script>Decision";
    public const string ScriptEnumValue = "<script>window.pwned = 4</script>";
    public const string ScriptEnumDescription = "<img src=x onerror=\"window.pwned = 5\"> pick one";
    public const string ScriptOptionTitle = "<img src=x onerror=\"window.pwned = 6\">Urgent";

    public static IEnumerable<WorkflowDefinition> All() => [HostileForm(), CheckedForm(), OverdueTask()];

    /// <summary>Every text of the task and of its form carries markup.</summary>
    public static WorkflowDefinition HostileForm() => OneHumanStep(Hostile, new HumanStep("review", ScriptTitle, new JsonObject
    {
        ["type"] = "object",
        ["title"] = "<script>window.pwned = 7</script>",
        ["required"] = new JsonArray("decision"),
        ["properties"] = new JsonObject
        {
            ["decision"] = new JsonObject
            {
                ["type"] = "string",
                ["title"] = ScriptFieldTitle,
                ["description"] = ScriptEnumDescription,
                ["enum"] = new JsonArray(ScriptEnumValue, "plain"),
            },
            ["priority"] = new JsonObject
            {
                ["type"] = "string",
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["enum"] = new JsonArray("high"), ["title"] = ScriptOptionTitle },
                    new JsonObject { ["enum"] = new JsonArray("low"), ["title"] = "Low" }),
            },
        },
    })
    {
        Description = ImageDescription,
    });

    /// <summary>
    /// A form with what the page checks itself (required, integer bounds) and what only the server checks (a pattern):
    /// <c>code</c> (required, <c>^[A-Z]{3}-[0-9]{3}$</c>), <c>amount</c> (integer 1 to 100, required), <c>notes</c> (long
    /// string: a textarea), <c>urgent</c> (optional boolean: a checkbox), <c>contact</c> (a nested object: a fieldset).
    /// </summary>
    public static WorkflowDefinition CheckedForm() => OneHumanStep(Checked, new HumanStep("fill_in", "Fill in the claim", new JsonObject
    {
        ["type"] = "object",
        ["required"] = new JsonArray("code", "amount"),
        ["properties"] = new JsonObject
        {
            ["code"] = new JsonObject { ["type"] = "string", ["title"] = "Cost code", ["description"] = "Three capitals, a dash, three digits.", ["pattern"] = "^[A-Z]{3}-[0-9]{3}$" },
            ["amount"] = new JsonObject { ["type"] = "integer", ["title"] = "Amount", ["minimum"] = 1, ["maximum"] = 100 },
            ["notes"] = new JsonObject { ["type"] = "string", ["title"] = "Notes", ["maxLength"] = 2000 },
            ["urgent"] = new JsonObject { ["type"] = "boolean", ["title"] = "Urgent" },
            ["contact"] = new JsonObject
            {
                ["type"] = "object",
                ["title"] = "Contact",
                ["required"] = new JsonArray("email"),
                ["properties"] = new JsonObject
                {
                    ["email"] = new JsonObject { ["type"] = "string", ["title"] = "Email", ["minLength"] = 3 },
                },
            },
        },
    })
    {
        Group = "claims",
        Description = "The cost code is checked by the server.",
    });

    /// <summary>A task for anyone, overdue a millisecond after it opens.</summary>
    public static WorkflowDefinition OverdueTask() => OneHumanStep(Overdue, new HumanStep("late", "Answer at once", new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["ok"] = new JsonObject { ["type"] = "boolean" } },
    })
    {
        Due = TimeSpan.FromMilliseconds(1),
    });

    private static WorkflowDefinition OneHumanStep(string name, HumanStep step) => new()
    {
        Name = name,
        Description = $"Test workflow with one human step ({name}).",
        Steps = [step, new MachineStep("done", context => context.Set("done", true))],
        Edges = [new Edge(step.Name, "done")],
        InitialStep = step.Name,
        TerminalSteps = ["done"],
    };
}
