using System.Text.Json.Nodes;

namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>parallel_approvals</c>: <c>approvals</c>, a <see cref="ParallelGroup"/> of three <see cref="HumanStep"/>s,
/// <c>legal_approval</c>, <c>finance_approval</c> and <c>security_approval</c> (tasks for the groups <c>legal</c>,
/// <c>finance</c> and <c>security</c>, all open at once), whose callback <c>check_approvals</c> runs once the third
/// answer is in.
/// </summary>
/// <remarks>
/// <para>Input: none. The forms (JSON Schema):</para>
/// <list type="bullet">
/// <item><c>legal_approval</c>: <c>approved</c> (boolean, required), <c>comments</c> (string, up to 2000 characters).</item>
/// <item><c>finance_approval</c>: <c>approved</c> (boolean, required), <c>budget_code</c> (string, optional, any text).</item>
/// <item><c>security_approval</c>: <c>approved</c> (boolean, required), <c>risk_level</c> (<c>low</c>, <c>medium</c> or <c>high</c>, required).</item>
/// </list>
/// <para>Outcome in the context: each answer under its step's name (<c>legal_approval.approved</c>,
/// <c>finance_approval.budget_code</c>, <c>security_approval.risk_level</c>, ...); <c>all_approved</c>, true only
/// when all three approved. A task withdrawn with <c>CancelAsync</c> counts as not approved.</para>
/// </remarks>
public static class ParallelApprovals
{
    /// <summary>The registered name.</summary>
    public const string Name = "parallel_approvals";

    /// <summary>The three human steps, in the order the callback reads them.</summary>
    public static IReadOnlyList<string> ApprovalSteps { get; } = ["legal_approval", "finance_approval", "security_approval"];

    /// <summary>A new definition (its steps and form schemas are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "Three approvals at once (legal, finance, security), each a human task with its own form; check_approvals then decides all_approved.",
        Steps =
        [
            new ParallelGroup("approvals",
            [
                new HumanStep("legal_approval", "Legal approval", LegalForm())
                {
                    Group = "legal",
                    Description = "Approve the request from a legal point of view.",
                },
                new HumanStep("finance_approval", "Finance approval", FinanceForm())
                {
                    Group = "finance",
                    Description = "Approve the request's budget; give the budget code it is charged to.",
                },
                new HumanStep("security_approval", "Security approval", SecurityForm())
                {
                    Group = "security",
                    Description = "Approve the request from a security point of view and rate its risk.",
                },
            ], new CheckApprovals())
            {
                Description = "Legal, finance and security review at once; check_approvals runs after the third answer.",
            },
        ],
        InitialStep = "approvals",
        TerminalSteps = ["approvals"],
    };

    /// <summary>Legal's form: <c>approved</c> (required), <c>comments</c> (up to 2000 characters).</summary>
    public static JsonObject LegalForm() => Form("comments", new JsonObject
    {
        ["type"] = "string",
        ["description"] = "Legal remarks.",
        ["maxLength"] = 2000, // free text: the pages show a textarea for strings this long
    }, required: false);

    /// <summary>Finance's form: <c>approved</c> (required), <c>budget_code</c> (optional string).</summary>
    public static JsonObject FinanceForm() => Form("budget_code", new JsonObject
    {
        ["type"] = "string",
        ["description"] = "The budget the request is charged to.",
    }, required: false);

    /// <summary>Security's form: <c>approved</c> and <c>risk_level</c> (low, medium or high), both required.</summary>
    public static JsonObject SecurityForm() => Form("risk_level", new JsonObject
    {
        ["type"] = "string",
        ["enum"] = new JsonArray("low", "medium", "high"),
        ["description"] = "The request's security risk.",
    }, required: true);

    /// <summary>An object form: a required boolean <c>approved</c> and one more field.</summary>
    private static JsonObject Form(string field, JsonObject fieldSchema, bool required) => new()
    {
        ["type"] = "object",
        ["required"] = required ? new JsonArray("approved", field) : new JsonArray("approved"),
        ["properties"] = new JsonObject
        {
            ["approved"] = new JsonObject { ["type"] = "boolean", ["description"] = "Approve the request?" },
            [field] = fieldSchema,
        },
    };

    /// <summary>The chord: runs once all three approvals are in and sets <c>all_approved</c>.</summary>
    private sealed class CheckApprovals() : BaseMachineStep("check_approvals")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var allApproved = ApprovalSteps.All(step => context.Get<bool?>($"{step}.approved") == true);
            context.Set("all_approved", allApproved);
            return Task.FromResult<object?>(allApproved);
        }
    }
}
