using static Workflows.Engine.Tests.Graph.GraphTestKit;

namespace Workflows.Engine.Tests.Graph;

/// <summary>A definition is checked when it is registered; every problem is reported, naming its step or edge.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public void Registration_EdgeToUnknownStep_NamesTheStepAndEdge()
    {
        var definition = Definition("unknown-edge", [Noop("start"), Noop("end")],
            [new Edge("start", "end"), new Edge("start", "ghost"), new Edge("phantom", "end")], "start", "end");

        var errors = RegistrationErrors(definition);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("start → ghost", StringComparison.Ordinal) && e.Contains("unknown step 'ghost'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("phantom → end", StringComparison.Ordinal) && e.Contains("unknown step 'phantom'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("member")]
    [InlineData("callback")]
    [InlineData("runner")]
    public void Registration_EdgeToGroupMember_NamesMemberAndGroup(string target)
    {
        var definition = Definition("member-edge",
            [
                Noop("start"),
                new ParallelGroup("fan", [Noop("member")], Noop("callback")),
                new RaceGroup("race", Noop("runner")),
            ],
            [new Edge("start", "fan"), new Edge("fan", "race"), new Edge("start", target)], "start", "race");

        var error = Assert.Single(RegistrationErrors(definition));

        Assert.Contains($"start → {target}", error, StringComparison.Ordinal);
        Assert.Contains($"'{target}' is a member of group '{(target == "runner" ? "race" : "fan")}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_EdgeFromGroupMember_IsRefused()
    {
        var definition = Definition("member-source",
            [Noop("start"), new ParallelGroup("fan", [Noop("member")]), Noop("end")],
            [new Edge("start", "fan"), new Edge("fan", "end"), new Edge("member", "end")], "start", "end");

        var error = Assert.Single(RegistrationErrors(definition));

        Assert.Contains("'member' is a member of group 'fan'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_UnknownInitialStep_NamesIt()
    {
        var definition = Definition("bad-initial", [Noop("start"), Noop("end")], [new Edge("start", "end")], "begin", "end");

        var error = Assert.Single(RegistrationErrors(definition));

        Assert.Contains("initial step 'begin'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_UnknownTerminalStep_NamesIt()
    {
        var definition = Definition("bad-terminal", [Noop("start"), Noop("end")], [new Edge("start", "end")], "start", "end", "finish");

        var error = Assert.Single(RegistrationErrors(definition));

        Assert.Contains("terminal step 'finish'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_NoTerminalStep_IsRefused()
    {
        var definition = Definition("no-terminal", [Noop("start")], [], "start");

        var error = Assert.Single(RegistrationErrors(definition));

        Assert.Contains("no terminal step", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_UnreachableStep_NamesIt()
    {
        var definition = Definition("unreachable", [Noop("start"), Noop("end"), Noop("orphan"), Noop("orphan_child")],
            [new Edge("start", "end"), new Edge("orphan", "orphan_child")], "start", "end");

        var errors = RegistrationErrors(definition);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("'orphan'", StringComparison.Ordinal) && e.Contains("unreachable", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'orphan_child'", StringComparison.Ordinal) && e.Contains("unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_NoPathToTerminal_NamesInitialAndTerminal()
    {
        // "end" exists but nothing leads to it from "start".
        var definition = Definition("no-path", [Noop("start"), Noop("middle"), Noop("end")],
            [new Edge("start", "middle"), new Edge("end", "middle")], "start", "end");

        var errors = RegistrationErrors(definition);

        Assert.Contains(errors, e => e.Contains("No path leads from the initial step 'start'", StringComparison.Ordinal) && e.Contains("end", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'end' is unreachable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("top-level twice")]
    [InlineData("member equals a step")]
    [InlineData("two members")]
    [InlineData("callback equals a member")]
    [InlineData("group equals a step")]
    public void Registration_DuplicateNames_NamesTheDuplicate(string shape)
    {
        IReadOnlyList<GraphStep> steps = shape switch
        {
            "top-level twice" => [Noop("start"), Noop("dup"), Noop("dup")],
            "member equals a step" => [Noop("start"), new ParallelGroup("fan", [Noop("dup")]), Noop("dup")],
            "two members" => [Noop("start"), new RaceGroup("fan", Noop("dup"), Noop("dup"))],
            "callback equals a member" => [Noop("start"), new ParallelGroup("fan", [Noop("dup")], Noop("dup"))],
            _ => [Noop("start"), new ParallelGroup("dup", [Noop("member")]), Noop("dup")],
        };
        var definition = Definition("duplicates", steps, [new Edge("start", steps[1].Name)], "start", "start");

        var errors = RegistrationErrors(definition);

        Assert.Contains(errors, e => e.Contains("'dup'", StringComparison.Ordinal) && e.Contains("more than once", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Registration_MaxConcurrencyBelowOne_NamesTheGroup(int cap)
    {
        var definition = Definition("bad-cap", [Noop("start"), new ParallelGroup("fan", [Noop("a"), Noop("b")], maxConcurrency: cap)],
            [new Edge("start", "fan")], "start", "fan");

        var error = Assert.Single(RegistrationErrors(definition));

        Assert.Contains("'fan'", error, StringComparison.Ordinal);
        Assert.Contains($"maxConcurrency {cap}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_EmptyGroup_NamesIt()
    {
        var definition = Definition("empty-group", [Noop("start"), new ParallelGroup("fan", []), new RaceGroup("race")],
            [new Edge("start", "fan"), new Edge("fan", "race")], "start", "race");

        var errors = RegistrationErrors(definition);

        Assert.Contains(errors, e => e.Contains("'fan' has no members", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'race' has no members", StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_SeveralProblems_AllReportedAtOnce()
    {
        var definition = Definition("many", [Noop("start"), Noop("start"), new ParallelGroup("fan", [Noop("m")], maxConcurrency: 0)],
            [new Edge("start", "ghost"), new Edge("start", "fan", "amount >")], "begin", "finish");

        var errors = RegistrationErrors(definition);

        Assert.Contains(errors, e => e.Contains("'start'", StringComparison.Ordinal) && e.Contains("more than once", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("maxConcurrency 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknown step 'ghost'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("start → fan", StringComparison.Ordinal) && e.Contains("Invalid condition", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'begin'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'finish'", StringComparison.Ordinal));
    }
}
