namespace Workflows.Definitions.EventDriven;

/// <summary>
/// <c>document_analysis</c>: one <see cref="DocumentEvent"/> per document, <c>analyze_document</c> (5 workers)
/// counts the words and summarises, and <c>collect_results</c> waits for as many analyses as the start step
/// stored in the run's state.
/// </summary>
public sealed class DocumentAnalysisWorkflow : Workflow
{
    private const string DocumentCountKey = "document_count";
    private const int SummaryWords = 10;

    /// <inheritdoc/>
    public override string Name => "document_analysis";

    /// <inheritdoc/>
    public override string? Description =>
        "Fan-out of documents to analyze_document (5 workers: word count and summary), fan-in with a stored count.";

    /// <summary>Stores the document count and sends one event per document.</summary>
    [Step, Emits(typeof(DocumentEvent))]
    public StopEvent? Start(DocumentAnalysisStartEvent ev, IStepContext ctx)
    {
        var documents = ev.Documents ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            var id = documents[i]?.Id;
            if (string.IsNullOrEmpty(id))
            {
                throw new ArgumentException($"Document {i} has no id; every document needs one, its summary is keyed by it.");
            }
            if (!seen.Add(id))
            {
                throw new ArgumentException($"Document id '{id}' appears more than once; ids must be unique.");
            }
        }
        if (documents.Count == 0)
        {
            return new StopEvent(new DocumentAnalysisResult(0, 0, new Dictionary<string, string>()));
        }

        ctx.Store.Set(DocumentCountKey, documents.Count);
        var delay = SimulatedDelay.Clamp(ev.DelayMs ?? 300);
        foreach (var document in documents)
        {
            ctx.SendEvent(new DocumentEvent(document!.Id!, document.Content ?? "", delay));
        }
        return null;
    }

    /// <summary>Counts the words of one document and summarises it (its first words).</summary>
    [Step(NumWorkers = 5)]
    public async Task<DocumentAnalyzedEvent> AnalyzeDocument(DocumentEvent ev, CancellationToken cancellationToken)
    {
        await Task.Delay(ev.DelayMs, cancellationToken).ConfigureAwait(false);
        var words = ev.Content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var summary = words.Length <= SummaryWords
            ? string.Join(' ', words)
            : string.Join(' ', words[..SummaryWords]) + "...";
        return new DocumentAnalyzedEvent(ev.Id, words.Length, summary);
    }

    /// <summary>Waits for every analysis, then adds them up.</summary>
    [Step]
    public StopEvent? CollectResults(DocumentAnalyzedEvent ev, IStepContext ctx)
    {
        if (ctx.CollectEvents<DocumentAnalyzedEvent>(ev, ctx.Store.Get<int>(DocumentCountKey)) is not { } all)
        {
            return null;
        }
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var analysis in all)
        {
            summaries[analysis.Id] = analysis.Summary;
        }
        return new StopEvent(new DocumentAnalysisResult(all.Count, all.Sum(a => a.WordCount), summaries));
    }
}
