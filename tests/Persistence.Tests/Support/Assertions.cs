using System.Text.Json.Nodes;

namespace Workflows.Persistence.Tests.Support;

/// <summary>Equality of stored records where the records' own equality does not reach (JSON nodes compare by reference).</summary>
public static class StoreAssert
{
    public static void TaskEqual(HumanTask expected, HumanTask actual)
    {
        Assert.Equal(Scalars(expected), Scalars(actual));
        Assert.True(JsonNode.DeepEquals(expected.FormSchema, actual.FormSchema), $"form schema: {actual.FormSchema.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(expected.Data, actual.Data), $"data: {actual.Data?.ToJsonString()}");
        switch (expected.OnDue)
        {
            case null:
                Assert.Null(actual.OnDue);
                break;
            case DefaultOutcomeAction outcome:
                var actualOutcome = Assert.IsType<DefaultOutcomeAction>(actual.OnDue);
                Assert.True(JsonNode.DeepEquals(outcome.Data, actualOutcome.Data), $"on due: {actualOutcome.Data.ToJsonString()}");
                break;
            default:
                Assert.Equal(expected.OnDue, actual.OnDue);
                break;
        }
    }

    public static void TasksEqual(IEnumerable<HumanTask> expected, IEnumerable<HumanTask> actual)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Select(t => t.Id), a.Select(t => t.Id));
        for (var i = 0; i < e.Length; i++)
        {
            TaskEqual(e[i], a[i]);
        }
    }

    private static readonly JsonObject s_compared = [];

    private static HumanTask Scalars(HumanTask task) => task with { FormSchema = s_compared, Data = null, OnDue = null };
}
