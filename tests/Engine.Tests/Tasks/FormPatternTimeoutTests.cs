using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>
/// A form's regular expressions cannot hold a thread: a pattern that backtracks exponentially on the submitted text
/// (<c>^(a+)+$</c> against 40 a's and a '!': about 2^40 steps without a limit) is stopped at the match timeout and
/// reported as an error on that field, and nothing else of the submission is accepted unchecked.
/// </summary>
public sealed class FormPatternTimeoutTests
{
    private static readonly string s_evil = new string('a', 40) + "!";

    private readonly JsonSchemaFormValidator _validator = new(TimeSpan.FromMilliseconds(50));

    [Fact]
    public void Pattern_BacktrackingWithoutEnd_IsStoppedAtTheTimeout_AndReportedOnTheField()
    {
        var schema = JsonNode.Parse("""{"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}}}""")!.AsObject();

        var errors = _validator.Validate(schema, new JsonObject { ["code"] = s_evil });

        var error = Assert.Single(errors);
        Assert.Equal("/code", error.Pointer);
        Assert.Contains("within 50 ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PatternProperties_BacktrackingWithoutEnd_IsStoppedAtTheTimeout_AndReportedOnTheProperty()
    {
        var schema = JsonNode.Parse("""{"type": "object", "patternProperties": {"^(a+)+$": {"type": "number"}}}""")!.AsObject();

        var errors = _validator.Validate(schema, new JsonObject { ["ok"] = 1, [s_evil] = 2 });

        var error = Assert.Single(errors);
        Assert.Equal("/" + s_evil, error.Pointer);
    }

    [Fact]
    public void Pattern_ThatMatchesQuickly_StillValidatesAsBefore()
    {
        var schema = JsonNode.Parse("""{"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}}}""")!.AsObject();

        Assert.Empty(_validator.Validate(schema, new JsonObject { ["code"] = "aaaa" }));
        Assert.Equal("/code", Assert.Single(_validator.Validate(schema, new JsonObject { ["code"] = "ab" })).Pointer);
    }
}
