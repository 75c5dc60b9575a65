using System.Text.Json.Nodes;
using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>Graph rule "edges": string conditions are really evaluated (ExpressionValues) and bad ones are refused at registration.</summary>
public sealed class ConditionTests
{
    /// <summary>start → hit [expression] → end, start → other → end: whether "hit" ran is the condition's value.</summary>
    private static async Task<bool> EvaluateInRunAsync(string expression, JsonObject input)
    {
        var definition = Definition("condition",
            [Noop("start"), Noop("hit"), Noop("other"), Noop("end")],
            [new Edge("start", "hit", expression), new Edge("start", "other"), new Edge("hit", "end"), new Edge("other", "end")],
            "start", "end");
        var (_, outcome, items) = await RunAsync(definition, input);
        outcome.AssertCompleted();
        Assert.Single(items.Of<StepStarted>("end"));
        return items.Of<StepStarted>("hit").Count == 1;
    }

    [Theory]
    [InlineData(5, "small")]
    [InlineData(1000, "small")]
    [InlineData(1000.5, "big")]
    [InlineData(1001, "big")]
    [InlineData(-3, "small")]
    public async Task Condition_Threshold_TakesTheMatchingSideOnly(double amount, string expected)
    {
        // Arrange
        var definition = Definition("threshold",
            [Noop("start"), Noop("big"), Noop("small"), Noop("end")],
            [
                new Edge("start", "big", "amount > 1000"),
                new Edge("start", "small", "amount <= 1000"),
                new Edge("big", "end"),
                new Edge("small", "end"),
            ],
            "start", "end");

        // Act
        var (_, outcome, items) = await RunAsync(definition, new { amount });

        // Assert
        outcome.AssertCompleted();
        Assert.Equal(["start", expected, "end"], items.StartedSteps());
    }

    [Fact]
    public async Task Condition_IntegerInputAsJsonObject_ComparesAsNumber()
    {
        // JsonObject input built from CLR ints (not parsed text) must compare like any number.
        Assert.True(await EvaluateInRunAsync("amount > 1000", new JsonObject { ["amount"] = 1001 }));
        Assert.False(await EvaluateInRunAsync("amount > 1000", new JsonObject { ["amount"] = 1000 }));
        Assert.True(await EvaluateInRunAsync("amount == 7", new JsonObject { ["amount"] = 7L }));
    }

    [Theory]
    [InlineData("amount > 1000 && region == \"EU\"", """{"amount":2000,"region":"EU"}""", true)]
    [InlineData("amount > 1000 && region == \"EU\"", """{"amount":2000,"region":"US"}""", false)]
    [InlineData("amount > 1000 && region == \"EU\"", """{"amount":10,"region":"EU"}""", false)]
    [InlineData("amount > 1000 || vip", """{"amount":10,"vip":true}""", true)]
    [InlineData("amount > 1000 || vip", """{"amount":10,"vip":false}""", false)]
    [InlineData("!blocked", """{"blocked":false}""", true)]
    [InlineData("!blocked", """{"blocked":true}""", false)]
    [InlineData("!(amount > 1000)", """{"amount":5}""", true)]
    // Precedence: && binds tighter than ||; parentheses override it.
    [InlineData("vip || amount > 1000 && region == \"EU\"", """{"vip":true,"amount":5,"region":"US"}""", true)]
    [InlineData("(vip || amount > 1000) && region == \"EU\"", """{"vip":true,"amount":5,"region":"US"}""", false)]
    [InlineData("(vip || amount > 1000) && region == \"EU\"", """{"vip":false,"amount":5000,"region":"EU"}""", true)]
    [InlineData("!(vip || blocked) && amount >= 10", """{"vip":false,"blocked":false,"amount":10}""", true)]
    [InlineData("!(vip || blocked) && amount >= 10", """{"vip":false,"blocked":true,"amount":10}""", false)]
    // Word operators.
    [InlineData("amount > 1 and not blocked or vip", """{"amount":5,"blocked":true,"vip":false}""", false)]
    [InlineData("amount > 1 and not blocked or vip", """{"amount":5,"blocked":false,"vip":false}""", true)]
    // A path that merely starts like a keyword is a path.
    [InlineData("notified == true && order > 1", """{"notified":true,"order":2}""", true)]
    public async Task Condition_CombinedOperators_EvaluateLikeCSharp(string expression, string input, bool expected) =>
        Assert.Equal(expected, await EvaluateInRunAsync(expression, JsonNode.Parse(input)!.AsObject()));

    [Theory]
    [InlineData("region == \"EU\"", """{"region":"EU"}""", true)]
    [InlineData("region == 'EU'", """{"region":"EU"}""", true)]
    [InlineData("region == \"EU\"", """{"region":"eu"}""", false)]
    [InlineData("region != \"EU\"", """{"region":"US"}""", true)]
    [InlineData("region == \"EU\"", """{"region":"EU "}""", false)]
    // A number never equals a string.
    [InlineData("code == \"5\"", """{"code":5}""", false)]
    [InlineData("code == 5", """{"code":"5"}""", false)]
    // Strings order ordinally; a string and a number do not order at all.
    [InlineData("name < \"b\"", """{"name":"a"}""", true)]
    [InlineData("name > 5", """{"name":"a"}""", false)]
    [InlineData("name <= 5", """{"name":"a"}""", false)]
    public async Task Condition_StringValues_CompareByValue(string expression, string input, bool expected) =>
        Assert.Equal(expected, await EvaluateInRunAsync(expression, JsonNode.Parse(input)!.AsObject()));

    [Theory]
    [InlineData("customer.tier == \"gold\"", true)]
    [InlineData("customer.address.country == \"FR\"", true)]
    [InlineData("customer.orders.1 == 20", true)]
    [InlineData("customer.orders.0 > 15", false)]
    [InlineData("legal_approval.approved", true)]
    [InlineData("customer.tier.level == null", true)]
    [InlineData("customer.orders.7 == null", true)]
    public async Task Condition_DottedPaths_ReadNestedValues(string expression, bool expected)
    {
        var input = JsonNode.Parse("""
            {"customer":{"tier":"gold","address":{"country":"FR"},"orders":[10,20]},"legal_approval":{"approved":true}}
            """)!.AsObject();
        Assert.Equal(expected, await EvaluateInRunAsync(expression, input));
    }

    [Theory]
    // Missing and null values are null: false when tested, equal only to null, never ordered.
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("missing == null", true)]
    [InlineData("missing != null", false)]
    [InlineData("missing != 1", true)]
    [InlineData("missing == 0", false)]
    [InlineData("missing == false", false)]
    [InlineData("missing > 5", false)]
    [InlineData("missing < 5", false)]
    [InlineData("missing <= 5", false)]
    [InlineData("!(missing > 5)", true)]
    [InlineData("nothing == null", true)]
    [InlineData("nothing", false)]
    [InlineData("missing.deeper.still == null", true)]
    // Truthiness: 0 and "" are false, other numbers and strings true.
    [InlineData("zero", false)]
    [InlineData("empty", false)]
    [InlineData("one", true)]
    [InlineData("text", true)]
    [InlineData("obj", true)]
    public async Task Condition_MissingAndNullValues_FollowTheValueRules(string expression, bool expected)
    {
        var input = JsonNode.Parse("""{"nothing":null,"zero":0,"empty":"","one":1,"text":"x","obj":{}}""")!.AsObject();
        Assert.Equal(expected, await EvaluateInRunAsync(expression, input));
    }

    [Fact]
    public async Task Condition_ReadsValuesWrittenByEarlierSteps()
    {
        // Arrange: the condition is evaluated when "score" completes, against what it wrote.
        var definition = Definition("written",
            [Noop("start"), new MachineStep("score", ctx => ctx.Set("review.score", ctx.Get<int>("base") * 10)), Noop("high"), Noop("low"), Noop("end")],
            [
                new Edge("start", "score"),
                new Edge("score", "high", "review.score >= 50"),
                new Edge("score", "low", "review.score < 50"),
                new Edge("high", "end"),
                new Edge("low", "end"),
            ],
            "start", "end");

        // Act
        var (_, high, highItems) = await RunAsync(definition, new { @base = 5 });
        var (_, low, lowItems) = await RunAsync(definition, new { @base = 4 });

        // Assert
        high.AssertCompleted();
        low.AssertCompleted();
        Assert.Equal(["start", "score", "high", "end"], highItems.StartedSteps());
        Assert.Equal(["start", "score", "low", "end"], lowItems.StartedSteps());
    }

    [Theory]
    [InlineData("amount >")]
    [InlineData("amount > 1000 &&")]
    [InlineData("(amount > 1000")]
    [InlineData("amount = 1000")]
    [InlineData("region == \"EU")]
    [InlineData("amount > 1000 region")]
    [InlineData("a..b == 1")]
    [InlineData("amount @ 3")]
    [InlineData("")]
    [InlineData("   ")]
    public void Registration_InvalidExpression_IsRefusedNamingTheEdge(string expression)
    {
        // Arrange
        var definition = Definition("bad-condition",
            [Noop("start"), Noop("approve"), Noop("end")],
            [new Edge("start", "approve", expression), new Edge("approve", "end")],
            "start", "end");

        // Act
        var errors = RegistrationErrors(definition);

        // Assert
        var error = Assert.Single(errors);
        Assert.StartsWith("Edge start → approve:", error, StringComparison.Ordinal);
        Assert.Contains("Invalid condition", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_DeeplyNestedExpression_IsRefusedNamingTheEdge()
    {
        var expression = new string('(', 100) + "x" + new string(')', 100);
        var definition = Definition("deep-condition",
            [Noop("start"), Noop("end")],
            [new Edge("start", "end", expression)],
            "start", "end");

        var error = Assert.Single(RegistrationErrors(definition));

        Assert.StartsWith("Edge start → end:", error, StringComparison.Ordinal);
        Assert.Contains("nested deeper", error, StringComparison.Ordinal);
    }
}
