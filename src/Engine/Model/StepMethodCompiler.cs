using System.Linq.Expressions;
using System.Reflection;

namespace Workflows.Model;

/// <summary>
/// Turns a <c>[Step]</c> method into a <see cref="StepModel"/>: reads its signature and attributes, and compiles
/// a direct-call delegate so that no reflection happens per invocation.
/// </summary>
internal static class StepMethodCompiler
{
    private static readonly MethodInfo s_fromTask = typeof(StepMethodCompiler).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_fromTaskOfT = typeof(StepMethodCompiler).GetMethod(nameof(FromTaskOfT), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_fromValueTask = typeof(StepMethodCompiler).GetMethod(nameof(FromValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_fromValueTaskOfT = typeof(StepMethodCompiler).GetMethod(nameof(FromValueTaskOfT), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Compiles <paramref name="method"/> of <paramref name="workflow"/>, adding any signature problem to <paramref name="errors"/>.</summary>
    public static StepModel? Compile(Workflow workflow, MethodInfo method, StepAttribute attribute, List<string> errors)
    {
        var name = attribute.Name ?? StepNames.FromMethod(method.Name);
        var eventParameters = method.GetParameters().Where(p => typeof(Event).IsAssignableFrom(p.ParameterType)).ToArray();
        var others = method.GetParameters().Where(p => !typeof(Event).IsAssignableFrom(p.ParameterType)
            && p.ParameterType != typeof(IStepContext) && p.ParameterType != typeof(CancellationToken)).ToArray();
        if (eventParameters.Length != 1 || others.Length > 0)
        {
            errors.Add($"Step '{name}' ({method.Name}) must take exactly one event parameter, plus optionally an IStepContext " +
                $"and a CancellationToken; it takes ({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))}).");
            return null;
        }
        if (method.IsStatic)
        {
            errors.Add($"Step '{name}' ({method.Name}) must be an instance method.");
            return null;
        }
        if (attribute.NumWorkers < 1)
        {
            errors.Add($"Step '{name}' has NumWorkers = {attribute.NumWorkers}; it must be at least 1.");
        }

        var eventParameter = eventParameters[0];
        var accepts = method.GetCustomAttribute<AcceptsAttribute>()?.EventTypes ?? [eventParameter.ParameterType];
        foreach (var accepted in accepts)
        {
            if (!typeof(Event).IsAssignableFrom(accepted) || !eventParameter.ParameterType.IsAssignableFrom(accepted))
            {
                errors.Add($"Step '{name}' accepts {accepted.Name}, which is not an event assignable to its parameter type {eventParameter.ParameterType.Name}.");
            }
        }

        var returned = ReturnedEventType(method.ReturnType);
        if (returned is null)
        {
            errors.Add($"Step '{name}' returns {TypeNames.Display(method.ReturnType)}, which is not an event type (return an Event, Task<TEvent>, ValueTask<TEvent>, or nothing).");
            return null;
        }
        var declared = method.GetCustomAttribute<EmitsAttribute>()?.EventTypes ?? [];
        foreach (var type in declared.Where(t => !typeof(Event).IsAssignableFrom(t)))
        {
            errors.Add($"Step '{name}' declares [Emits({type.Name})], which is not an event type.");
        }
        // A return type of exactly Event says nothing about what is produced: [Emits] must say it.
        var emits = returned == typeof(void) || returned == typeof(Event) || returned == typeof(object)
            ? declared.ToArray()
            : declared.Append(returned).Distinct().ToArray();
        if ((returned == typeof(Event) || returned == typeof(object)) && declared.Count == 0)
        {
            errors.Add($"Step '{name}' returns {returned.Name} but declares no [Emits(...)]: list the event types it produces.");
        }

        var options = new StepOptions
        {
            NumWorkers = Math.Max(1, attribute.NumWorkers),
            Retry = method.GetCustomAttribute<RetryAttribute>()?.ToPolicy() ?? RetryPolicy.None,
            Timeout = attribute.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(attribute.TimeoutSeconds) : null,
        };
        return new StepModel(name, accepts, emits, options, CompileInvoker(workflow, method));
    }

    /// <summary>The event type a return type carries; typeof(void) for none; null when it is not an event at all.</summary>
    private static Type? ReturnedEventType(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask))
        {
            return typeof(void);
        }
        if (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            returnType = returnType.GetGenericArguments()[0];
        }
        return typeof(Event).IsAssignableFrom(returnType) || returnType == typeof(object) ? returnType : null;
    }

    private static StepInvoker CompileInvoker(Workflow workflow, MethodInfo method)
    {
        var context = Expression.Parameter(typeof(IStepContext), "context");
        var ev = Expression.Parameter(typeof(Event), "ev");
        // Read from the context only by a step that takes a token: most never do, and the run's token is made on first use.
        var token = Expression.Property(context, nameof(IStepContext.CancellationToken));
        var arguments = method.GetParameters().Select(p =>
            p.ParameterType == typeof(IStepContext) ? (Expression)context
            : p.ParameterType == typeof(CancellationToken) ? token
            : Expression.Convert(ev, p.ParameterType));
        var call = Expression.Call(Expression.Constant(workflow, method.DeclaringType!), method, arguments);

        var type = method.ReturnType;
        Expression body =
            type == typeof(void) ? Expression.Block(call, Expression.Default(typeof(ValueTask<object?>)))
            : type == typeof(Task) ? Expression.Call(s_fromTask, call)
            : type == typeof(ValueTask) ? Expression.Call(s_fromValueTask, call)
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? Expression.Call(s_fromTaskOfT.MakeGenericMethod(type.GetGenericArguments()), call)
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>) ? Expression.Call(s_fromValueTaskOfT.MakeGenericMethod(type.GetGenericArguments()), call)
            : Expression.New(typeof(ValueTask<object?>).GetConstructor([typeof(object)])!, Expression.Convert(call, typeof(object)));
        return Expression.Lambda<StepInvoker>(body, context, ev).Compile();
    }

    // Adapters from the step's return shape to ValueTask<object?>; they allocate only when the step is truly async.
    private static ValueTask<object?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? default : AwaitTask(task);

    private static ValueTask<object?> FromTaskOfT<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitTaskOfT(task);

    private static ValueTask<object?> FromValueTask(ValueTask task) =>
        task.IsCompletedSuccessfully ? default : AwaitTask(task.AsTask());

    private static ValueTask<object?> FromValueTaskOfT<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitTaskOfT(task.AsTask());

    private static async ValueTask<object?> AwaitTask(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async ValueTask<object?> AwaitTaskOfT<T>(Task<T> task) => await task.ConfigureAwait(false);
}
