using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Definitions.Graph;

/// <summary>
/// <c>expense_approval</c>: <c>submit</c>, then either <c>manager_approval</c> (a <see cref="HumanStep"/>, when
/// <c>amount &gt; 1000</c>) or <c>auto_approve</c> (when <c>amount &lt;= 1000</c>), both string conditions; the two
/// branches join in <c>record</c>, which runs once, after the branch that was taken.
/// </summary>
/// <remarks>
/// <para>Input: <c>amount</c> (number, required), <c>employee</c> (who spent it), <c>manager</c> (the user name of the
/// approver, a string; required when <c>amount &gt; 1000</c>). <c>submit</c> fails the run when <c>amount</c> is missing
/// or not a number, or when an amount over 1000 names no manager: the approval task would otherwise be open to anyone.</para>
/// <para>The manager's task is assigned to the context's <c>manager</c> (<see cref="HumanStep.AssigneeFrom"/>); only
/// that user may complete it. Its form: <c>approved</c> (boolean, required), <c>comment</c> (string, up to 2000 characters); the answer is
/// stored under <c>manager_approval</c>.</para>
/// <para>Outcome in the context: <c>submitted</c> true; <c>auto_approved</c> true on the automatic path;
/// <c>approved</c> (the manager's <c>manager_approval.approved</c>, or true when automatic) and <c>approved_by</c>
/// (the context's <c>manager</c> on the manual path, <c>"auto"</c> otherwise). The context does not carry who completed
/// a task, but only the assigned manager can complete it, so the two are the same. If the manager's task is withdrawn,
/// <c>record</c> does not run and the run fails naming <c>manager_approval</c>.</para>
/// </remarks>
public static class ExpenseApproval
{
    /// <summary>The registered name.</summary>
    public const string Name = "expense_approval";

    /// <summary>Amounts above this need a manager.</summary>
    public const int Threshold = 1000;

    /// <summary>What <c>approved_by</c> says when no person approved.</summary>
    public const string AutoApprover = "auto";

    /// <summary>A new definition (its steps and form schema are new instances too).</summary>
    public static WorkflowDefinition Create() => new()
    {
        Name = Name,
        Description = "Expenses over 1000 wait for the employee's manager (a human task); smaller ones are approved automatically; record joins the two paths.",
        Steps =
        [
            new Submit(),
            new HumanStep("manager_approval", "Approve an expense over 1000", ManagerForm())
            {
                AssigneeFrom = "manager",
                Description = "An expense above the automatic-approval limit needs your decision.",
            },
            new MachineStep("auto_approve", context => context.Set("auto_approved", true))
            {
                Description = "Approves expenses up to 1000 without asking anyone.",
            },
            new Record(),
        ],
        Edges =
        [
            new Edge("submit", "manager_approval", FormattableString.Invariant($"amount > {Threshold}")),
            new Edge("submit", "auto_approve", FormattableString.Invariant($"amount <= {Threshold}")),
            new Edge("manager_approval", "record"),
            new Edge("auto_approve", "record"),
        ],
        InitialStep = "submit",
        TerminalSteps = ["record"],
    };

    /// <summary>The manager's form: <c>approved</c> (boolean, required), <c>comment</c> (string, up to 2000 characters).</summary>
    public static JsonObject ManagerForm() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("approved"),
        ["properties"] = new JsonObject
        {
            ["approved"] = new JsonObject { ["type"] = "boolean", ["description"] = "Approve the expense?" },
            ["comment"] = new JsonObject { ["type"] = "string", ["description"] = "Why, for the employee.", ["maxLength"] = 2000 },
        },
    };

    /// <summary>Checks the claim (the edges' conditions need a numeric <c>amount</c>) and marks it submitted.</summary>
    private sealed class Submit() : BaseMachineStep("submit")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            if (context.Get<JsonNode>("amount")?.GetValueKind() != JsonValueKind.Number)
            {
                throw new ArgumentException("expense_approval needs a numeric 'amount'.");
            }
            var value = context.Get<double>("amount");
            // The engine reads AssigneeFrom as it opens the task: a missing manager would leave the task open to anyone, and
            // a value that is not a string would fail the run with an engine error. Refuse both here, naming the field.
            if (value > Threshold
                && (context.Get<JsonNode>("manager")?.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(context.Get<string>("manager"))))
            {
                throw new ArgumentException($"An expense over {Threshold} needs a 'manager' (the user name of the approver) to approve it.");
            }
            context.Set("submitted", true);
            return Task.FromResult<object?>(value);
        }
    }

    /// <summary>The join: records the decision of whichever path was taken.</summary>
    private sealed class Record() : BaseMachineStep("record")
    {
        public override Task<object?> ExecuteAsync(WorkflowContext context, CancellationToken cancellationToken)
        {
            var manual = context.Has("manager_approval");
            var approved = !manual || context.Get<bool>("manager_approval.approved");
            var approvedBy = manual ? context.Get<string>("manager") : AutoApprover;
            context.Set("approved", approved);
            context.Set("approved_by", approvedBy);
            return Task.FromResult<object?>(approved);
        }
    }
}
