using System.Net;
using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Workflows.Server.Security;

namespace Workflows.Server.Pages;

/// <summary>
/// The pages for people: <c>/</c> (dashboard), <c>/tasks</c> (inbox), <c>/tasks/{id}</c> (a task's form),
/// <c>/instances/{id}</c> (one run) and <c>/signin</c>. Each is the main content of a static HTML file of
/// <c>wwwroot</c> in the frame every page shares (<c>layout.html</c>: head, site header); all embedded in the assembly,
/// so the server needs no file beside it and nothing from the internet. A page's script reads the id from the
/// address and calls the JSON API with same-origin <c>fetch</c>.
/// </summary>
public static class PagesEndpoints
{
    /// <summary>Where the embedded <c>wwwroot</c> files are served: <c>/assets/app.css</c>, <c>/assets/dashboard.js</c>, ...</summary>
    public const string AssetsPath = "/assets";

    /// <summary>
    /// Scripts and styles only from this server, no inline script at all, frames only of this server (the run's
    /// drawing): data shown as text can never run, even if a page had a bug that put it into markup.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; " +
        "frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";

    private static readonly IFileProvider s_files = new EmbeddedFileProvider(typeof(PagesEndpoints).Assembly, "Workflows.Server.wwwroot");

    /// <summary>
    /// Serves <c>/assets/*</c> from the embedded <c>wwwroot/assets</c>. Call early in the pipeline (before any
    /// authorization): the sign-in page needs its style and script before anyone has signed in.
    /// </summary>
    public static IApplicationBuilder UsePageAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(PagesEndpoints).Assembly, "Workflows.Server.wwwroot.assets"),
            RequestPath = AssetsPath,
            OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff",
        });

    /// <summary>
    /// Maps the pages. <c>/signin</c> is open to all; the others need a signed-in person (the server's fallback
    /// authorization policy: an anonymous browser is sent to <c>/signin?returnUrl=...</c>). The data each page shows
    /// comes from API calls, which check the person's permissions. Returns the group of the pages behind sign-in.
    /// </summary>
    public static RouteGroupBuilder MapPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/signin", (string? returnUrl, string? error) => new PageResult(s_signIn.Value, new Dictionary<string, string>
        {
            // Only a path on this server is kept; the value is HTML-encoded into the form.
            ["{{return-url}}"] = WebUtility.HtmlEncode(AccountEndpoints.LocalOrNull(returnUrl) ?? "/"),
            ["{{error-hidden}}"] = string.IsNullOrEmpty(error) ? "hidden" : "",
        })).AllowAnonymous().ExcludeFromDescription();
        var pages = endpoints.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/", () => new PageResult(s_dashboard.Value));
        pages.MapGet("/tasks", () => new PageResult(s_inbox.Value));
        pages.MapGet("/tasks/{id}", (string id) => new PageResult(s_task.Value));
        pages.MapGet("/instances/{id}", (string id) => new PageResult(s_run.Value));
        return pages;
    }

    // Each page is put together once, on first use: the files are embedded and never change while the server runs.
    private static readonly Lazy<string> s_signIn = new(() => Compose("signin.html", "Sign in", "signin.js"));
    private static readonly Lazy<string> s_dashboard = new(() => Compose("index.html", "Dashboard", "dashboard.js"));
    private static readonly Lazy<string> s_inbox = new(() => Compose("tasks.html", "Tasks", "inbox.js"));
    private static readonly Lazy<string> s_task = new(() => Compose("task.html", "Task", "task.js"));
    private static readonly Lazy<string> s_run = new(() => Compose("instance.html", "Run", "instance.js"));

    /// <summary>The page file <paramref name="main"/> in the shared frame, with its title and script.</summary>
    private static string Compose(string main, string title, string script) =>
        Read("layout.html")
            .Replace("{{title}}", title, StringComparison.Ordinal)
            .Replace("{{script}}", script, StringComparison.Ordinal)
            .Replace("{{main}}", Read(main), StringComparison.Ordinal); // last: the page's own text is not searched for placeholders of the frame

    private static string Read(string file)
    {
        using var reader = new StreamReader(s_files.GetFileInfo(file).CreateReadStream(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// One page (with <paramref name="fill"/>'s placeholders replaced by their already-encoded values), never cached (a
    /// new server version must not meet an old page), with the security headers.
    /// </summary>
    private sealed class PageResult(string page, IReadOnlyDictionary<string, string>? fill = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            response.Headers["Referrer-Policy"] = "same-origin";
            var html = page;
            foreach (var (placeholder, value) in fill ?? new Dictionary<string, string>())
            {
                html = html.Replace(placeholder, value, StringComparison.Ordinal);
            }
            var bytes = Encoding.UTF8.GetBytes(html);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
