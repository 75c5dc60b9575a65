namespace Workflows.Persistence;

/// <summary>
/// Text every store can keep: no U+0000 (PostgreSQL's text columns refuse it) and no unpaired surrogate (it has no
/// UTF-8 form). JSON values are safe anywhere (the serialiser escapes both); plain text columns (task titles and
/// names, reasons, correlation ids) are checked where such text enters the engine, because a commit the store refuses
/// is retried, and it holds back the commits of every other run meanwhile.
/// </summary>
public static class StorableText
{
    /// <summary>What is wrong with text that fails <see cref="IsStorable"/>, for error messages.</summary>
    public const string Problem = "holds U+0000 or an unpaired surrogate (\\ud800-\\udfff), which a store cannot keep";

    /// <summary>False for text with U+0000 or an unpaired surrogate; true for null.</summary>
    public static bool IsStorable(string? text)
    {
        if (text is null)
        {
            return true;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="parameter"/> when the text cannot be stored.</summary>
    public static void ThrowIfUnstorable(string? text, string parameter)
    {
        if (!IsStorable(text))
        {
            throw new ArgumentException($"'{parameter}' {Problem}.", parameter);
        }
    }
}
