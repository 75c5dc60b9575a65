using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Workflows.Server.Endpoints;
using Workflows.Server.Pages;

namespace Workflows.Server.Hosting;

/// <summary>The request pipeline in front of the API routes.</summary>
public static class WorkflowServerApplicationExtensions
{
    /// <summary>
    /// Problem documents for exceptions and for bare error statuses (unknown route, wrong method), the request body
    /// size limit (<see cref="WorkflowServerOptions.MaxRequestBodyBytes"/>, answered 413), the pages' assets at
    /// <c>/assets</c> and Swagger UI at <c>/swagger</c> (both open to all: static files served before authentication),
    /// routing, authentication and authorization (docs/security.md), the rate limiter, and the OpenAPI document at
    /// <c>/openapi/v1.json</c> (open to all, like Swagger UI and <c>/health</c>).
    /// </summary>
    public static WebApplication UseWorkflowServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(LimitRequestBodyAsync);
        app.UsePageAssets(); // /assets/*: the pages' styles and scripts, open to all (the sign-in page needs them)
        // Swagger UI is static pages, open to all (it sends X-Api-Key once you Authorize); the document lists the routes only.
        app.UseSwaggerUI(options => options.SwaggerEndpoint("/openapi/v1.json", "Workflows API v1"));
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Refuses a declared body above the limit at once (413 problem) and caps an undeclared (chunked) one: Kestrel
    /// then throws when the body passes the limit, which <see cref="BadRequestExceptionHandler"/> answers 413.
    /// </summary>
    private static Task LimitRequestBodyAsync(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<WorkflowServerOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return Problems.BodyTooLarge(limit).ExecuteAsync(context);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return next(context);
    }
}
