using System.Text.Json.Nodes;
using Workflows.Graph.Conditions;
using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>
/// String conditions come from definitions and can only read the context: the grammar has no calls, no member
/// access beyond JSON paths, no regular expressions, no I/O; evaluation reads values only through the context
/// resolver; size and nesting are limited at parse time, so evaluation is bounded.
/// </summary>
public sealed class ConditionSafetyTests
{
    [Theory]
    [InlineData("File.Exists(\"/etc/passwd\")")]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd') == \"\"")]
    [InlineData("amount.ToString() == \"1\"")]
    [InlineData("typeof(amount) == null")]
    [InlineData("new Foo() == null")]
    [InlineData("items[0] == 1")]
    [InlineData("name matches \"a+\"")]
    [InlineData("name =~ \"(a+)+$\"")]
    [InlineData("amount + 1 > 2")]
    [InlineData("x = 1")]
    [InlineData("$\"{amount}\" == \"1\"")]
    public void Parse_AnythingButValuesAndComparisons_IsRefused(string expression) =>
        Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(expression));

    [Fact]
    public void Evaluate_ReadsOnlyThroughTheResolver_OncePerPathAtMost()
    {
        var node = ExpressionParser.Parse("amount > 1000 && (region == \"EU\" || !vip) && customer.tier != null");
        var reads = new List<string>();
        var context = JsonNode.Parse("""{"amount": 2000, "region": "US", "vip": false, "customer": {"tier": "gold"}}""");

        var value = node.Evaluate(path =>
        {
            reads.Add(path);
            return path.Split('.').Aggregate(context, (at, name) => at?[name]);
        });

        Assert.Equal(true, value);
        Assert.Equal(["amount", "region", "vip", "customer.tier"], reads);
    }

    [Theory]
    [InlineData("name.Length == 5")]
    [InlineData("name.Chars == null && name.Length == null")]
    [InlineData("amount.GetType == null")]
    public async Task MemberNames_AreJsonPaths_NotDotNetMembers(string expression)
    {
        // "name" is a 5-character string: a .NET member lookup would make the first condition true; a JSON path finds nothing.
        var definition = Definition("members",
            [Noop("start"), Noop("hit"), Noop("other"), Noop("end")],
            [new Edge("start", "hit", expression), new Edge("start", "other"), new Edge("hit", "end"), new Edge("other", "end")],
            "start", "end");

        var (_, outcome, items) = await RunAsync(definition, new { name = "hello", amount = 3 });

        outcome.AssertCompleted();
        Assert.Equal(expression != "name.Length == 5", items.Of<StepStarted>("hit").Count == 1);
    }

    [Fact]
    public void LongestAllowedExpression_ParsesAndEvaluates_InBoundedReads()
    {
        // A left-deep chain of ~140 comparisons: the longest text the parser takes, evaluated without deep recursion trouble.
        var clause = "a == 1 && ";
        var text = string.Concat(Enumerable.Repeat(clause, (ExpressionParser.MaxLength - 6) / clause.Length)) + "a == 1";
        Assert.True(text.Length <= ExpressionParser.MaxLength);
        var reads = 0;

        var value = ExpressionParser.Parse(text).Evaluate(_ =>
        {
            reads++;
            return JsonNode.Parse("1");
        });

        Assert.Equal(true, value);
        Assert.True(reads <= text.Length / clause.Length + 1, $"{reads} reads for {text.Length} characters");
    }

    [Fact]
    public void ExpressionOverTheLengthLimit_IsRefused()
    {
        var text = "a == \"" + new string('x', ExpressionParser.MaxLength) + "\"";

        var error = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(text));

        Assert.Contains($"longer than {ExpressionParser.MaxLength}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!")]
    [InlineData("not ")]
    public void NestingOverTheDepthLimit_IsRefused_AndAtTheLimitAccepted(string prefix)
    {
        string Nested(int depth) => string.Concat(Enumerable.Repeat(prefix, depth - 1)) + "flag";

        Assert.IsType<bool>(ExpressionParser.Parse(Nested(ExpressionParser.MaxDepth)).Evaluate(_ => JsonValue.Create(true)));
        Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(Nested(ExpressionParser.MaxDepth + 1)));
    }
}
