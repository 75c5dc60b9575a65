namespace Workflows;

/// <summary>One violation in submitted form data.</summary>
/// <param name="Pointer">The JSON pointer of the offending field (<c>/budget_code</c>, <c>/items/0/price</c>; empty for the whole document).</param>
/// <param name="Message">What is wrong, for a person: "is required", "must be one of low, medium, high".</param>
public sealed record FieldError(string Pointer, string Message);
