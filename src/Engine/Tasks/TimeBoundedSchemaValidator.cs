using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Workflows;

/// <summary>
/// NJsonSchema's validator with a time limit on the regular expressions of a form (<c>pattern</c>,
/// <c>patternProperties</c>): NJsonSchema matches them with <c>Regex.IsMatch(input, pattern)</c>, which has no time
/// limit, so a pattern that backtracks badly on the submitted text would hold a thread for as long as it likes.
/// </summary>
/// <remarks>
/// Every (value, schema) pair goes through the overridden <see cref="Validate(JToken, JsonSchema, SchemaType, string, string)"/>
/// before NJsonSchema looks at it. The same pattern is matched there first, on the same input, with
/// <see cref="MatchTimeout"/>: if that finishes, NJsonSchema's own match (same engine, same input) finishes as quickly;
/// if it times out, <see cref="PatternTimeoutException"/> stops the validation before NJsonSchema runs it.
/// </remarks>
internal sealed class TimeBoundedSchemaValidator(JsonSchemaValidatorSettings settings, TimeSpan matchTimeout) : JsonSchemaValidator(settings)
{
    /// <summary>Enough for every pattern of a deployment's forms; past it the cache starts over.</summary>
    private const int MaxCachedPatterns = 512;

    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <summary>How long one match may take.</summary>
    public TimeSpan MatchTimeout { get; } = matchTimeout;

    protected override ICollection<ValidationError> Validate(JToken token, JsonSchema schema, SchemaType schemaType, string propertyName, string propertyPath)
    {
        var actual = schema.ActualSchema;
        if (token.Type == JTokenType.String && !string.IsNullOrEmpty(actual.Pattern))
        {
            Check(actual.Pattern, token.Value<string>() ?? "", token);
        }
        if (token is JObject members && actual.PatternProperties.Count > 0)
        {
            foreach (var property in members.Properties())
            {
                foreach (var pattern in actual.PatternProperties.Keys)
                {
                    Check(pattern, property.Name, property);
                }
            }
        }
        return base.Validate(token, schema, schemaType, propertyName, propertyPath);
    }

    private void Check(string pattern, string input, JToken at)
    {
        Regex regex;
        try
        {
            regex = Compile(pattern);
        }
        catch (ArgumentException)
        {
            return; // an invalid pattern: NJsonSchema reports it (see JsonSchemaFormValidator.Validate)
        }
        try
        {
            regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new PatternTimeoutException(at, MatchTimeout);
        }
    }

    private Regex Compile(string pattern)
    {
        if (_patterns.TryGetValue(pattern, out var cached))
        {
            return cached;
        }
        if (_patterns.Count >= MaxCachedPatterns)
        {
            _patterns.Clear();
        }
        return _patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.None, MatchTimeout));
    }
}

/// <summary>A form pattern took longer than the limit to match the submitted text; <see cref="Token"/> is that text's token.</summary>
internal sealed class PatternTimeoutException(JToken token, TimeSpan timeout)
    : Exception($"could not be checked against the form's pattern within {timeout.TotalMilliseconds:0} ms; send a shorter or simpler value")
{
    public JToken Token { get; } = token;
}
