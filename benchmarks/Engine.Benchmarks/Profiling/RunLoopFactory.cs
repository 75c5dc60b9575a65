using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Model;
using Workflows.Runtime;

namespace Workflows.Benchmarks.Profiling;

/// <summary>
/// Makes <see cref="RunLoop"/>s the way <see cref="LocalExecutionEngine"/> does, for the profile's piece
/// measurements. The constructor is the engine's internal business and keeps gaining parameters, so it is bound by
/// parameter type (model, run id, start event, time, logger, and any service the engine exposes as a property)
/// rather than called directly: an engine change then needs no edit here.
/// </summary>
internal static class RunLoopFactory
{
    public static Func<RunLoop> Create(LocalExecutionEngine engine, WorkflowModel model, StartEvent start, string runId)
    {
        var constructor = typeof(RunLoop).GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Expression.Constant(Argument(p.ParameterType, engine, model, start, runId), p.ParameterType));
        return Expression.Lambda<Func<RunLoop>>(Expression.New(constructor, arguments)).Compile();
    }

    private static object? Argument(Type type, LocalExecutionEngine engine, WorkflowModel model, StartEvent start, string runId) => type switch
    {
        _ when type == typeof(WorkflowModel) => model,
        _ when type == typeof(string) => runId,
        _ when type.IsAssignableFrom(start.GetType()) => start,
        _ when type == typeof(TimeProvider) => TimeProvider.System,
        _ when type == typeof(ILogger) => NullLogger.Instance,
        _ => typeof(LocalExecutionEngine).GetProperties().FirstOrDefault(p => p.PropertyType == type)?.GetValue(engine)
            ?? (type.IsValueType ? Activator.CreateInstance(type) : null),
    };
}
