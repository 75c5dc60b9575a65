namespace Workflows.Definitions.EventDriven;

/// <summary>Input of <c>document_analysis</c>.</summary>
public sealed record DocumentAnalysisStartEvent : StartEvent
{
    /// <summary>The documents to analyse; ids must be present and unique.</summary>
    public IReadOnlyList<DocumentInput>? Documents { get; init; }

    /// <summary>How long analysing one document takes (default 300 ms).</summary>
    public int? DelayMs { get; init; }
}

/// <summary>One document of the input.</summary>
public sealed record DocumentInput
{
    /// <summary>The document's id, the key of its summary in the result.</summary>
    public string? Id { get; init; }

    /// <summary>Its text.</summary>
    public string? Content { get; init; }
}

/// <summary>One document to analyse.</summary>
/// <param name="Id">The document's id.</param>
/// <param name="Content">Its text.</param>
/// <param name="DelayMs">How long the analysis takes.</param>
public sealed record DocumentEvent(string Id, string Content, int DelayMs) : Event;

/// <summary>The analysis of one document.</summary>
/// <param name="Id">The document's id.</param>
/// <param name="WordCount">How many words it has.</param>
/// <param name="Summary">Its summary.</param>
public sealed record DocumentAnalyzedEvent(string Id, int WordCount, string Summary) : Event;

/// <summary>The result of <c>document_analysis</c>: <c>{documentsAnalyzed, totalWords, summaries: {id: summary}}</c>.</summary>
/// <param name="DocumentsAnalyzed">How many documents were analysed.</param>
/// <param name="TotalWords">Their words, all together.</param>
/// <param name="Summaries">Each document's summary, by id.</param>
public sealed record DocumentAnalysisResult(int DocumentsAnalyzed, int TotalWords, IReadOnlyDictionary<string, string> Summaries);
