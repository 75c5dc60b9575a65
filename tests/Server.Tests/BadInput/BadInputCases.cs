using System.Text;
using Workflows.Server.Tests.Doubles;

namespace Workflows.Server.Tests.BadInput;

/// <summary>
/// The bad-input sweep's table: for every route of docs/api.md, the ways a request can be wrong. Each case expects a
/// 4xx problem document (the exact status where docs/api.md names one, the field where there is one) and no change to
/// anything stored.
/// </summary>
public static class BadInputCases
{
    private const string Start = $"/api/workflows/{GreeterWorkflow.WorkflowName}/instances";
    private const string Cancel = "/api/instances/{review}/cancel";
    private const string SendEvent = "/api/instances/{payment}/events";
    private const string Complete = "/api/tasks/{task}/complete";
    private const string UnknownId = "0123456789abcdef0123456789abcdef";

    /// <summary>Depth 10,000: far past any parser's limit.</summary>
    private static readonly string s_deepObject = string.Concat(Enumerable.Repeat("""{"a":""", 10_000)) + "1" + new string('}', 10_000);

    private static readonly string s_deepArray = new string('[', 10_000) + new string(']', 10_000);

    /// <summary>Just over the 1 MiB body limit.</summary>
    private static readonly string s_huge = """{"input": {"text": "TEXT"}}""".Replace("TEXT", new string('a', 1024 * 1024), StringComparison.Ordinal);

    /// <summary><c>{"input": {"name": "</c>, bytes that are not UTF-8, <c>"}}</c>.</summary>
    private static readonly byte[] s_invalidUtf8 = [.. Encoding.UTF8.GetBytes("""{"input": {"name": " """.TrimEnd()), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}}")];

    /// <summary>A raw (unescaped) control character inside a JSON string, which JSON forbids.</summary>
    private const string RawControl = "{\"input\": {\"name\": \"a\u0001b\"}}";

    public static IReadOnlyList<BadInputCase> All { get; } = Build();

    /// <summary>The case names, for the theory.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var c in All)
            {
                names.Add(c.Name);
            }
            return names;
        }
    }

    public static BadInputCase Find(string name) => All.Single(c => c.Name == name);

    private static List<BadInputCase> Build()
    {
        var cases = new List<BadInputCase>();

        // ---- GET /api/workflows/{name}, /graph ----
        cases.Add(Get("workflow: unknown name", "/api/workflows/no_such_workflow", 404));
        cases.Add(Get("workflow: name with control characters", "/api/workflows/a%01%1Fb%7F", 404));
        cases.Add(Get("workflow: name that is not UTF-8", "/api/workflows/%C3%28%FF", 404));
        cases.Add(Get("workflow: very long name", $"/api/workflows/{new string('x', 4000)}", 404));
        cases.Add(Get("workflow: unknown version", $"/api/workflows/{GreeterWorkflow.WorkflowName}?version=9.9.9", 404));
        cases.Add(Get("workflow: version with control characters", $"/api/workflows/{GreeterWorkflow.WorkflowName}?version=1%00.0", 404));
        cases.Add(Get("workflow graph: unknown format", "/api/workflows/parallel_notify/graph?format=svg", 400, "format"));
        cases.Add(Get("workflow graph: format with control characters", "/api/workflows/parallel_notify/graph?format=%00%0A", 400, "format"));
        cases.Add(Get("workflow graph: unknown workflow", "/api/workflows/no_such_workflow/graph", 404));
        cases.Add(Get("workflow graph: unknown version", "/api/workflows/parallel_notify/graph?version=0.0.1", 404));

        // ---- POST /api/workflows/{name}/instances ----
        cases.Add(Post("start: malformed JSON", Start, "{", 400, ""));
        cases.Add(Post("start: truncated member", Start, """{"input": {""", 400, "/input"));
        cases.Add(Post("start: trailing garbage", Start, """{"input": {}} x""", 400));
        cases.Add(Post("start: body is an array", Start, "[]", 400, ""));
        cases.Add(Post("start: body is a string", Start, "\"start\"", 400, ""));
        cases.Add(Post("start: body is a number", Start, "42", 400, ""));
        cases.Add(Post("start: body is null", Start, "null", 400, ""));
        cases.Add(Post("start: input is a number", Start, """{"input": 5}""", 400, "/input"));
        cases.Add(Post("start: input is an array", Start, """{"input": [1, 2]}""", 400, "/input"));
        cases.Add(Post("start: input is a string", Start, """{"input": "name=Ada"}""", 400, "/input"));
        cases.Add(Post("start: input is null", Start, """{"input": null}""", 400, "/input"));
        cases.Add(Post("start: unknown member", Start, """{"name": "Ada"}""", 400, "/name"));
        cases.Add(Post("start: version is a number", Start, """{"version": 1}""", 400, "/version"));
        cases.Add(Post("start: version is an object", Start, """{"version": {}}""", 400, "/version"));
        cases.Add(Post("start: unknown version", Start, """{"version": "9.9.9"}""", 404));
        cases.Add(Post("start: version with a NUL character", Start, """{"version": "1.0.0\u0000"}""", 400, "/version"));
        cases.Add(Post("start: version with control characters", Start, """{"version": "1.0.0\u0007\u001b"}""", 404));
        cases.Add(Post("start: unknown workflow", "/api/workflows/no_such_workflow/instances", "{}", 404));
        cases.Add(Post("start: workflow name not UTF-8", "/api/workflows/%C3%28/instances", "{}", 404));
        cases.Add(Post("start: correlationId is a number", Start, """{"correlationId": 7}""", 400, "/correlationId"));
        cases.Add(Post("start: correlationId is blank", Start, """{"correlationId": "   "}""", 400, "/correlationId"));
        cases.Add(Post("start: correlationId is empty", Start, """{"correlationId": ""}""", 400, "/correlationId"));
        cases.Add(Post("start: correlationId over 200 characters", Start, $$"""{"correlationId": "{{new string('c', 201)}}"}""", 400, "/correlationId"));
        cases.Add(Post("start: correlationId with control characters", Start, """{"correlationId": "order\u0000\u0007-1"}""", 400, "/correlationId"));
        cases.Add(Post("start: correlationId taken", Start, """{"correlationId": "sweep-ended"}""", 409));
        cases.Add(Post("start: wait negative", Start + "?wait=-1", "{}", 400, "wait"));
        cases.Add(Post("start: wait not a number", Start + "?wait=soon", "{}", 400, "wait"));
        cases.Add(Post("start: wait NaN", Start + "?wait=NaN", "{}", 400, "wait"));
        cases.Add(Post("start: wait infinite", Start + "?wait=1e400", "{}", 400, "wait"));
        cases.Add(Post("start: wait over the maximum", Start + "?wait=100000", "{}", 400, "wait"));
        cases.Add(Post("start: body over the limit", Start, s_huge, 413));
        cases.Add(Post("start: chunked body over the limit", Start, s_huge, 413) with { Chunked = true });
        cases.Add(Post("start: object nested 10,000 deep", Start, $$"""{"input": {{s_deepObject}}}""", null));
        cases.Add(Post("start: array nested 10,000 deep", Start, """{"input": {"list": """ + s_deepArray + "}}", null));
        cases.Add(Post("start: body nested 10,000 deep", Start, s_deepObject, null));
        cases.Add(Post("start: invalid UTF-8", Start, null, 400) with { RawBody = s_invalidUtf8 });
        cases.Add(Post("start: raw control character in a string", Start, RawControl, 400));
        cases.Add(Post("start: lone surrogate escape", Start, """{"input": {"name": "\ud800"}}""", 400, "/input/name"));
        cases.Add(Post("start: lone surrogate in a property name", Start, """{"input": {"\udc00": 1}}""", 400, "/input"));
        cases.Add(Post("start: NUL character in the input", Start, """{"input": {"name": "a\u0000b"}}""", 400, "/input/name"));
        cases.Add(Post("start: lone surrogate in the correlationId", Start, """{"correlationId": "\ud800x"}""", 400, "/correlationId"));
        cases.Add(Post("start: lone surrogate in the version", Start, """{"version": "\udfff"}""", 400, "/version"));
        cases.Add(Post("start: text/plain", Start, "{}", 415) with { ContentType = "text/plain" });
        cases.Add(Post("start: form content type", Start, "name=Ada", 415) with { ContentType = "application/x-www-form-urlencoded" });
        cases.Add(Post("start: no Content-Type", Start, "{}", 415) with { ContentType = null });
        cases.Add(Post("start: XML", Start, "<input/>", 415) with { ContentType = "application/xml" });
        cases.Add(Post("start: input does not fit the start event", "/api/workflows/document_analysis/instances", """{"input": {"documents": 5}}""", 400, "/input"));
        cases.Add(Post("start: input member of the wrong type", "/api/workflows/document_analysis/instances", """{"input": {"documents": [], "delayMs": "slow"}}""", 400, "/input"));
        cases.Add(Post("start: input number out of range", "/api/workflows/document_analysis/instances", """{"input": {"documents": [], "delayMs": 1e40}}""", 400, "/input"));

        // ---- GET /api/instances ----
        cases.Add(Get("list runs: unknown status", "/api/instances?status=done", 400, "status"));
        cases.Add(Get("list runs: status with control characters", "/api/instances?status=%00", 400, "status"));
        cases.Add(Get("list runs: limit 0", "/api/instances?limit=0", 400, "limit"));
        cases.Add(Get("list runs: limit negative", "/api/instances?limit=-5", 400, "limit"));
        cases.Add(Get("list runs: limit 501", "/api/instances?limit=501", 400, "limit"));
        cases.Add(Get("list runs: limit not an integer", "/api/instances?limit=ten", 400, "limit"));
        cases.Add(Get("list runs: limit a fraction", "/api/instances?limit=2.5", 400, "limit"));
        cases.Add(Get("list runs: limit overflows", "/api/instances?limit=99999999999999999999", 400, "limit"));
        cases.Add(Get("list runs: cursor not base64", "/api/instances?cursor=%%%", 400, "cursor"));
        cases.Add(Get("list runs: cursor of garbage", $"/api/instances?cursor={B64("garbage")}", 400, "cursor"));
        cases.Add(Get("list runs: cursor without id", $"/api/instances?cursor={B64("2026-01-01T00:00:00.0000000+00:00|")}", 400, "cursor"));
        cases.Add(Get("list runs: cursor with a bad time", $"/api/instances?cursor={B64("yesterday|abc")}", 400, "cursor"));
        cases.Add(Get("list runs: cursor not UTF-8", $"/api/instances?cursor={Convert.ToBase64String([0xC3, 0x28, 0xFF, 0x7C, 0x41]).TrimEnd('=').Replace('+', '-').Replace('/', '_')}", 400, "cursor"));
        cases.Add(Get("list runs: very long cursor", $"/api/instances?cursor={new string('A', 6000)}", 400, "cursor"));
        cases.Add(Get("list runs: unknown workflow filter", "/api/instances?workflow=no_such_workflow", 200) with { Tolerated = true });
        cases.Add(Get("list runs: correlationId with control characters", "/api/instances?correlationId=%00%01", 200) with { Tolerated = true });

        // ---- GET /api/instances/counts ----
        cases.Add(Get("run counts: unknown workflow", "/api/instances/counts?workflow=no_such_workflow", 404));
        cases.Add(Get("run counts: workflow with control characters", "/api/instances/counts?workflow=a%00%01b", 404));
        cases.Add(Get("run counts: workflow not UTF-8", "/api/instances/counts?workflow=%FF%FE", 404));
        cases.Add(Get("run counts: very long workflow", $"/api/instances/counts?workflow={new string('w', 4000)}", 404));
        cases.Add(Get("run counts: workflow given twice", "/api/instances/counts?workflow=parallel_notify&workflow=parallel_flow", 404));

        // ---- GET /api/instances/{id}, /graph ----
        cases.Add(Get("run: unknown id", $"/api/instances/{UnknownId}", 404));
        cases.Add(Get("run: malformed id", "/api/instances/not-an-id!", 404));
        cases.Add(Get("run: id with control characters", "/api/instances/%01%07%1B", 404));
        cases.Add(Get("run: id not UTF-8", "/api/instances/%FF%FE", 404));
        cases.Add(Get("run: very long id", $"/api/instances/{new string('9', 4000)}", 404));
        cases.Add(Get("run: id with a NUL character", "/api/instances/%00", 400) with { RefusedByKestrel = true });
        cases.Add(Get("run graph: unknown format", "/api/instances/{ended}/graph?format=png", 400, "format"));
        cases.Add(Get("run graph: unknown id", $"/api/instances/{UnknownId}/graph", 404));
        cases.Add(Get("run graph: malformed id", "/api/instances/..%2F..%2Fetc/graph", 404));

        // ---- GET /api/instances/events (every run's status) ----
        cases.Add(Get("status stream: unknown workflow", "/api/instances/events?workflow=no_such_workflow", 404));
        cases.Add(Get("status stream: workflow not UTF-8", "/api/instances/events?workflow=%FF%FE", 404));
        cases.Add(Get("status stream: very long workflow", $"/api/instances/events?workflow={new string('w', 4000)}", 404));

        // ---- GET /api/instances/{id}/events ----
        cases.Add(Get("events: unknown id", $"/api/instances/{UnknownId}/events", 404));
        cases.Add(Get("events: malformed id", "/api/instances/%01/events", 404));
        cases.Add(Get("events: after negative", "/api/instances/{ended}/events?after=-1", 400, "after"));
        cases.Add(Get("events: after not a number", "/api/instances/{ended}/events?after=first", 400, "after"));
        cases.Add(Get("events: after overflows", "/api/instances/{ended}/events?after=99999999999999999999", 400, "after"));
        cases.Add(Get("events: after a fraction", "/api/instances/{ended}/events?after=1.5", 400, "after"));
        cases.Add(Header("events: Last-Event-ID negative", "/api/instances/{ended}/events", "Last-Event-ID", "-1", 400));
        cases.Add(Header("events: Last-Event-ID huge", "/api/instances/{ended}/events", "Last-Event-ID", "99999999999999999999", 400));
        cases.Add(Header("events: Last-Event-ID not numeric", "/api/instances/{ended}/events", "Last-Event-ID", "abc", 400));
        cases.Add(Header("events: Last-Event-ID a fraction", "/api/instances/{ended}/events", "Last-Event-ID", "2.0", 400));
        cases.Add(Header("events: Last-Event-ID hexadecimal", "/api/instances/{ended}/events", "Last-Event-ID", "0x10", 400));
        cases.Add(Header("events: Last-Event-ID negative, streaming", "/api/instances/{review}/events", "Last-Event-ID", "-3", 400, sse: true));
        cases.Add(Header("events: Last-Event-ID not numeric, streaming", "/api/instances/{review}/events", "Last-Event-ID", "last", 400, sse: true));
        cases.Add(Header("events: after negative, streaming", "/api/instances/{review}/events?after=-2", "Accept", "text/event-stream", 400, field: "after"));
        cases.Add(Header("events: Accept odd", "/api/instances/{ended}/events", "Accept", "application/x-nothing", 200, tolerated: true));
        cases.Add(Header("events: Accept malformed", "/api/instances/{ended}/events", "Accept", ";;;=/,", 200, tolerated: true));
        cases.Add(Header("events: Accept wildcard", "/api/instances/{ended}/events", "Accept", "*/*", 200, tolerated: true));
        cases.Add(Header("events: Last-Event-ID past the end", "/api/instances/{ended}/events", "Last-Event-ID", "1000000", 204, tolerated: true));

        // ---- POST /api/instances/{id}/cancel (the target waits for a person: a bad request must not cancel it) ----
        cases.Add(Post("cancel: unknown id", $"/api/instances/{UnknownId}/cancel", null, 404));
        cases.Add(Post("cancel: malformed id", "/api/instances/%0A%0D/cancel", null, 404));
        cases.Add(Post("cancel: run has ended", "/api/instances/{ended}/cancel", null, 409));
        cases.Add(Post("cancel: malformed JSON", Cancel, """{"reason": """, 400));
        cases.Add(Post("cancel: body is an array", Cancel, "[]", 400, ""));
        cases.Add(Post("cancel: body is a number", Cancel, "5", 400, ""));
        cases.Add(Post("cancel: body is null", Cancel, "null", 400, ""));
        cases.Add(Post("cancel: reason is a number", Cancel, """{"reason": 5}""", 400, "/reason"));
        cases.Add(Post("cancel: reason is an object", Cancel, """{"reason": {"why": "x"}}""", 400, "/reason"));
        cases.Add(Post("cancel: unknown member", Cancel, """{"why": "x"}""", 400, "/why"));
        cases.Add(Post("cancel: body over the limit", Cancel, s_huge.Replace("input", "reason", StringComparison.Ordinal), 413));
        cases.Add(Post("cancel: nested 10,000 deep", Cancel, s_deepObject, null));
        cases.Add(Post("cancel: invalid UTF-8", Cancel, null, 400) with { RawBody = s_invalidUtf8 });
        cases.Add(Post("cancel: lone surrogate in the reason", Cancel, """{"reason": "\ud800"}""", 400, "/reason"));
        cases.Add(Post("cancel: text/plain", Cancel, "{}", 415) with { ContentType = "text/plain" });

        // ---- POST /api/instances/{id}/events (the target waits for a payment: a bad request must not deliver one) ----
        cases.Add(Post("send event: no body", SendEvent, null, 400));
        cases.Add(Post("send event: empty object", SendEvent, "{}", 400, "/type"));
        cases.Add(Post("send event: body is null", SendEvent, "null", 400, ""));
        cases.Add(Post("send event: body is an array", SendEvent, "[]", 400, ""));
        cases.Add(Post("send event: malformed JSON", SendEvent, """{"type": "payment", """, 400));
        cases.Add(Post("send event: type is a number", SendEvent, """{"type": 3}""", 400, "/type"));
        cases.Add(Post("send event: type blank", SendEvent, """{"type": "  "}""", 400, "/type"));
        cases.Add(Post("send event: unknown type", SendEvent, """{"type": "refund", "data": {"amount": 1}}""", 400, "/type"));
        cases.Add(Post("send event: type with control characters", SendEvent, """{"type": "pay\u0000ment", "data": {"amount": 1}}""", 400, "/type"));
        cases.Add(Post("send event: data is a number", SendEvent, """{"type": "payment", "data": 5}""", 400, "/data"));
        cases.Add(Post("send event: data is an array", SendEvent, """{"type": "payment", "data": [5]}""", 400, "/data"));
        cases.Add(Post("send event: data is null", SendEvent, """{"type": "payment", "data": null}""", 400, "/data"));
        cases.Add(Post("send event: data missing", SendEvent, """{"type": "payment"}""", 400, "/data"));
        cases.Add(Post("send event: data member of the wrong type", SendEvent, """{"type": "payment", "data": {"amount": "lots"}}""", 400, "/data"));
        cases.Add(Post("send event: data number out of range", SendEvent, """{"type": "payment", "data": {"amount": 1e400}}""", 400, "/data"));
        cases.Add(Post("send event: data number beyond decimal", SendEvent, """{"type": "payment", "data": {"amount": 79228162514264337593543950336}}""", 400, "/data"));
        cases.Add(Post("send event: unknown member", SendEvent, """{"type": "payment", "data": {"amount": 1}, "extra": true}""", 400, "/extra"));
        cases.Add(Post("send event: unknown run", $"/api/instances/{UnknownId}/events", """{"type": "payment", "data": {"amount": 1}}""", 404));
        cases.Add(Post("send event: run has ended", "/api/instances/{ended}/events", """{"type": "payment", "data": {"amount": 1}}""", 409));
        cases.Add(Post("send event: run of a graph workflow", "/api/instances/{approvals}/events", """{"type": "payment", "data": {"amount": 1}}""", 400, "/type"));
        cases.Add(Post("send event: body over the limit", SendEvent, s_huge.Replace("input", "data", StringComparison.Ordinal), 413));
        cases.Add(Post("send event: nested 10,000 deep", SendEvent, $$"""{"type": "payment", "data": {{s_deepObject}}}""", null));
        cases.Add(Post("send event: invalid UTF-8", SendEvent, null, 400) with { RawBody = s_invalidUtf8 });
        cases.Add(Post("send event: lone surrogate in the type", SendEvent, """{"type": "\ud800", "data": {"amount": 1}}""", 400, "/type"));
        cases.Add(Post("send event: lone surrogate in the data", SendEvent, """{"type": "payment", "data": {"amount": 1, "note": "\udbff"}}""", 400, "/data/note"));
        cases.Add(Post("send event: no Content-Type", SendEvent, """{"type": "payment", "data": {"amount": 1}}""", 415) with { ContentType = null });

        // ---- GET /api/tasks, /api/tasks/{id} ----
        cases.Add(Get("list tasks: unknown status", "/api/tasks?status=open", 400, "status"));
        cases.Add(Get("list tasks: status a number", "/api/tasks?status=1", 400, "status"));
        cases.Add(Get("list tasks: limit 0", "/api/tasks?limit=0", 400, "limit"));
        cases.Add(Get("list tasks: limit 501", "/api/tasks?limit=501", 400, "limit"));
        cases.Add(Get("list tasks: limit not an integer", "/api/tasks?limit=many", 400, "limit"));
        cases.Add(Get("list tasks: limit overflows", "/api/tasks?limit=4294967296", 400, "limit"));
        cases.Add(Get("list tasks: cursor not base64", "/api/tasks?cursor=!!", 400, "cursor"));
        cases.Add(Get("list tasks: cursor of garbage", $"/api/tasks?cursor={B64("x|y")}", 400, "cursor"));
        cases.Add(Get("list tasks: assignee with control characters", "/api/tasks?assignee=%00%1B", 200) with { Tolerated = true });
        cases.Add(Get("task: unknown id", $"/api/tasks/{UnknownId}", 404));
        cases.Add(Get("task: malformed id", "/api/tasks/%01%FF", 404));
        cases.Add(Get("task: very long id", $"/api/tasks/{new string('t', 4000)}", 404));

        // ---- POST /api/tasks/{id}/complete (the target is pending: a bad answer must leave it so) ----
        cases.Add(Post("complete: unknown task", $"/api/tasks/{UnknownId}/complete", """{"approved": true}""", 404));
        cases.Add(Post("complete: malformed id", "/api/tasks/%1F/complete", """{"approved": true}""", 404));
        cases.Add(Post("complete: task already completed", "/api/tasks/{doneTask}/complete", """{"approved": true}""", 409));
        cases.Add(Post("complete: not in the task's group", "/api/tasks/{groupTask}/complete", """{"approved": true, "comments": "ok"}""", 403));
        cases.Add(Post("complete: malformed JSON", Complete, """{"approved": tru""", 400));
        cases.Add(Post("complete: no body", Complete, null, null));
        cases.Add(Post("complete: body is null", Complete, "null", 422, ""));
        cases.Add(Post("complete: body is an array", Complete, "[true]", 422, ""));
        cases.Add(Post("complete: body is a string", Complete, "\"yes\"", 422, ""));
        cases.Add(Post("complete: required field missing", Complete, "{}", 422, "/approved"));
        cases.Add(Post("complete: field of the wrong type", Complete, """{"approved": "yes"}""", 422, "/approved"));
        cases.Add(Post("complete: field is null", Complete, """{"approved": null}""", 422, "/approved"));
        cases.Add(Post("complete: comment of the wrong type", Complete, """{"approved": true, "comment": 5}""", 422, "/comment"));
        cases.Add(Post("complete: body over the limit", Complete, s_huge.Replace("input", "comment", StringComparison.Ordinal), 413));
        cases.Add(Post("complete: nested 10,000 deep", Complete, $$"""{"approved": true, "comment": {{s_deepObject}}}""", null));
        cases.Add(Post("complete: invalid UTF-8", Complete, null, 400) with { RawBody = s_invalidUtf8 });
        cases.Add(Post("complete: raw control character", Complete, "{\"approved\": true, \"comment\": \"a\u0002b\"}", 400));
        cases.Add(Post("complete: lone surrogate in a field", Complete, """{"approved": true, "comment": "\ud800"}""", 400, "/comment"));
        cases.Add(Post("complete: invalid UTF-8 in a field", Complete, null, 400) with { RawBody = [.. Encoding.UTF8.GetBytes("{\"approved\": true, \"comment\": \""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}")] });
        cases.Add(Post("complete: NUL character in a field", Complete, """{"approved": true, "comment": "\u0000"}""", 400, "/comment"));
        cases.Add(Post("complete: text/plain", Complete, """{"approved": true}""", 415) with { ContentType = "text/plain" });

        // ---- routes and methods that do not exist ----
        cases.Add(Get("unknown route", "/api/nothing", 404));
        cases.Add(Get("request line over Kestrel's limit", $"/api/instances?workflow={new string('w', 10_000)}", 414) with { RefusedByKestrel = true });
        cases.Add(new BadInputCase("headers over Kestrel's limit", "GET", "/api/instances")
        {
            Headers = new Dictionary<string, string> { ["X-Filler"] = new string('h', 40_000) },
            Status = 431,
            RefusedByKestrel = true,
            ContentType = null,
        });
        cases.Add(new BadInputCase("wrong method: DELETE a run", "DELETE", "/api/instances/{review}") { Status = 405 });
        cases.Add(new BadInputCase("wrong method: PUT a task answer", "PUT", Complete) { Body = """{"approved": true}""", Status = 405 });
        cases.Add(new BadInputCase("wrong method: GET cancel", "GET", Cancel) { Status = 405 });
        return cases;
    }

    private static BadInputCase Get(string name, string path, int? status, string? field = null) =>
        new(name, "GET", path) { Status = status, Field = field, ContentType = null };

    private static BadInputCase Post(string name, string path, string? body, int? status, string? field = null) =>
        new(name, "POST", path) { Body = body, Status = status, Field = field };

    private static BadInputCase Header(string name, string path, string header, string value, int status, bool sse = false, string? field = null, bool tolerated = false) =>
        new(name, "GET", path)
        {
            Headers = sse ? new Dictionary<string, string> { [header] = value, ["Accept"] = "text/event-stream" } : new Dictionary<string, string> { [header] = value },
            Status = status,
            Field = field ?? (tolerated || header == "Accept" ? null : header),
            Tolerated = tolerated,
            ContentType = null,
        };

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
