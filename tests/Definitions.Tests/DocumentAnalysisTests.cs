using Workflows.Definitions.EventDriven;

namespace Workflows.Definitions.Tests;

public sealed class DocumentAnalysisTests
{
    [Fact]
    public async Task Run_CountsWordsAndSummarisesEachDocument()
    {
        var documents = new[]
        {
            new { id = "a", content = "The quick brown fox" },
            new { id = "b", content = "jumps over\nthe  lazy\tdog" },
            new { id = "c", content = "" },
        };

        var result = await Runs.ResultAsync(new DocumentAnalysisWorkflow(), new { documents, delayMs = 10 });

        var json = Runs.ToJson(result)!;
        Assert.Equal(3, json["documentsAnalyzed"]!.GetValue<int>());
        Assert.Equal(9, json["totalWords"]!.GetValue<int>());
        Assert.Equal("The quick brown fox", json["summaries"]!["a"]!.GetValue<string>());
        Assert.Equal("jumps over the lazy dog", json["summaries"]!["b"]!.GetValue<string>());
        Assert.Equal("", json["summaries"]!["c"]!.GetValue<string>());
        Assert.Equal(3, json["summaries"]!.AsObject().Count);
    }

    [Fact]
    public async Task Run_SummaryOfALongDocumentIsItsFirstTenWords()
    {
        var content = string.Join(' ', Enumerable.Range(1, 12).Select(i => $"w{i}"));

        var result = await Runs.ResultAsync(new DocumentAnalysisWorkflow(), new { documents = new[] { new { id = "long", content } }, delayMs = 0 });

        var analysis = Assert.IsType<DocumentAnalysisResult>(result);
        Assert.Equal(12, analysis.TotalWords);
        Assert.Equal("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10...", analysis.Summaries["long"]);
    }

    [Fact]
    public async Task Run_AnalysesAtMostFiveDocumentsAtOnce()
    {
        var documents = Enumerable.Range(1, 12).Select(i => new { id = $"d{i}", content = "one two" }).ToArray();

        var (handle, outcome) = await Runs.RunToEndAsync(new DocumentAnalysisWorkflow(), new { documents, delayMs = 20 });

        Assert.Equal(24, Assert.IsType<DocumentAnalysisResult>(outcome.Result).TotalWords);
        var items = handle.Items.Snapshot();
        Assert.Equal(12, items.Starts("analyze_document").Count());
        Assert.InRange(items.MaxConcurrency("analyze_document"), 1, 5);
        Assert.All(items.Starts("analyze_document"), s => Assert.InRange(s.Worker, 0, 4));
    }

    [Fact]
    public async Task Run_DelayDefaultsTo300Ms()
    {
        var (handle, _) = await Runs.RunToEndAsync(new DocumentAnalysisWorkflow(), new { documents = new[] { new { id = "a", content = "x" } } });

        Assert.Equal(300, handle.Items.Snapshot().EventsOf<DocumentEvent>().Single().DelayMs);
    }

    [Fact]
    public async Task Run_WithNoDocuments_ReportsZero()
    {
        var result = await Runs.ResultAsync(new DocumentAnalysisWorkflow(), new { documents = Array.Empty<object>() });

        var analysis = Assert.IsType<DocumentAnalysisResult>(result);
        Assert.Equal((0, 0), (analysis.DocumentsAnalyzed, analysis.TotalWords));
        Assert.Empty(analysis.Summaries);
    }

    [Fact]
    public async Task Run_WithADuplicateId_FailsNamingIt()
    {
        var documents = new[] { new { id = "x", content = "a" }, new { id = "x", content = "b" } };

        var (_, outcome) = await Runs.RunToEndAsync(new DocumentAnalysisWorkflow(), new { documents, delayMs = 0 });

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Contains("'x'", outcome.Error!.Message);
    }
}
