using System.Security.Cryptography;
using System.Text;

namespace Workflows.Model;

/// <summary>
/// A hash of what a workflow version does (steps, what they accept and emit, options, edges and conditions), so the
/// store can tell when a name and version were reused for a different shape.
/// </summary>
internal static class ModelShape
{
    public static string Hash(WorkflowModel model)
    {
        var text = new StringBuilder().Append(model.Kind).Append('|').Append(model.StartEventType.FullName);
        foreach (var step in model.Steps)
        {
            text.Append("|step:").Append(step.Name).Append(':').Append(step.Group)
                .Append(":in=").AppendJoin(',', step.Accepts.Select(t => t.FullName))
                .Append(":out=").AppendJoin(',', step.Emits.Select(t => t.FullName))
                .Append(":w=").Append(step.Options.NumWorkers)
                .Append(":r=").Append(step.Options.Retry.MaximumAttempts)
                .Append(":t=").Append(step.Options.Timeout?.TotalMilliseconds)
                .Append(":h=").Append(step.Human?.FormSchema.ToJsonString());
        }
        foreach (var edge in model.Graph?.Edges ?? [])
        {
            text.Append("|edge:").Append(edge.Edge.Source).Append('>').Append(edge.Edge.Target).Append(':').Append(edge.Edge.Condition?.Text);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
