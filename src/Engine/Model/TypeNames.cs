namespace Workflows.Model;

/// <summary>Type names as C# spells them (<c>Task&lt;int&gt;</c>, not <c>Task`1</c>), for messages people read.</summary>
internal static class TypeNames
{
    public static string Display(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>"
        : type.Name;
}
