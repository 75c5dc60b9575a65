using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.References;
using NJsonSchema.Validation;
using JsonValueKind = System.Text.Json.JsonValueKind;

namespace Workflows;

/// <summary>
/// The engine's <see cref="IFormValidator"/>: checks form data with NJsonSchema and turns its errors into
/// <see cref="FieldError"/>s that carry an RFC 6901 pointer and a message a person can read.
/// </summary>
/// <remarks>
/// <para>Pure and thread-safe. Parsed schemas are cached by their JSON text, since the same task schema is checked
/// for every submission.</para>
/// <para>Pointers are not rebuilt from NJsonSchema's <see cref="ValidationError.Path"/>, which is ambiguous: it joins
/// property names with "." (so <c>#/x.y</c> may be one property or two), leaves "/" unescaped, and switches to
/// Newtonsoft's <c>['x.y']</c> syntax for additional properties and inside <c>anyOf</c>/<c>oneOf</c> branches. The data
/// is read with line information instead, and every error's line and column (those of the offending token) are mapped
/// back to the token's pointer. <see cref="PointerFromPath"/> remains as a fallback for an error without them.</para>
/// </remarks>
internal sealed class JsonSchemaFormValidator : IFormValidator
{
    /// <summary>Enough for every task schema of a deployment; past it the cache starts over rather than growing.</summary>
    private const int MaxCachedSchemas = 512;

    private static readonly string[] JsonTypes = ["string", "number", "integer", "boolean", "object", "array", "null"];

    /// <summary>How long one regular expression of a form (<c>pattern</c>, <c>patternProperties</c>) may take to match a value.</summary>
    public static readonly TimeSpan DefaultPatternTimeout = TimeSpan.FromMilliseconds(200);

    private readonly TimeBoundedSchemaValidator _validator;

    /// <summary>A validator whose form patterns may take <paramref name="patternTimeout"/> (default <see cref="DefaultPatternTimeout"/>) per match.</summary>
    public JsonSchemaFormValidator(TimeSpan? patternTimeout = null) =>
        _validator = new TimeBoundedSchemaValidator(new JsonSchemaValidatorSettings { PropertyStringComparer = StringComparer.Ordinal }, patternTimeout ?? DefaultPatternTimeout);

    private readonly ConcurrentDictionary<string, Compiled> _schemas = new(StringComparer.Ordinal);

    /// <summary>How many parsed schemas are cached (for tests).</summary>
    internal int CachedSchemaCount => _schemas.Count;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckSchema(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var problems = new List<string>();
        CheckNode(schema, "", problems);
        if (problems.Count == 0 && Compile(schema).Problem is { } problem)
        {
            problems.Add($"schema: cannot be read: {problem}");
        }

        return problems;
    }

    /// <inheritdoc />
    /// <remarks>
    /// An unusable schema (see <see cref="CheckSchema"/>) does not throw either: it gives a single error on the
    /// whole document, so a submission is refused rather than accepted unchecked.
    /// </remarks>
    public IReadOnlyList<FieldError> Validate(JsonObject schema, JsonNode? data)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var compiled = Compile(schema);
        if (compiled.Schema is null)
        {
            return [new FieldError("", $"cannot be checked: the form schema is unusable ({compiled.Problem})")];
        }

        JToken token;
        try
        {
            token = ReadData(data);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or JsonReaderException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return [new FieldError("", $"is not valid JSON ({FirstLine(e.Message)})")];
        }

        ICollection<ValidationError> errors;
        try
        {
            errors = _validator.Validate(token, compiled.Schema);
        }
        catch (PatternTimeoutException e)
        {
            var at = e.Token is Newtonsoft.Json.IJsonLineInfo info && info.HasLineInfo() && PointerIndex.Of(token).TryGet(info.LineNumber, info.LinePosition, out var pointer) ? pointer : "";
            return [new FieldError(at, e.Message)];
        }
        catch (ArgumentException e)
        {
            // Regex.IsMatch on an invalid "pattern" of the schema (CheckSchema reports it).
            return [new FieldError("", $"cannot be checked: the form schema is unusable ({FirstLine(e.Message)})")];
        }

        var pointers = PointerIndex.Of(token);
        var found = new List<(int Line, int Column, FieldError Error)>();
        foreach (var error in errors)
        {
            Collect(error, pointers, found);
        }

        // Document order: by the position of the offending token (of the parent object for a missing property);
        // the sort is stable, so errors on one token keep NJsonSchema's order.
        return found
            .OrderBy(f => f.Line).ThenBy(f => f.Column)
            .Select(f => f.Error)
            .Distinct()
            .ToList();
    }

    /// <summary>Converts an NJsonSchema error path (<c>#/address.street</c>, <c>#/items[0].price</c>, <c>#/['x.y']</c>) to a JSON pointer.</summary>
    /// <remarks>Best effort: the path is ambiguous for property names containing "." or "[". Only used for errors without line information.</remarks>
    internal static string PointerFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "";
        }

        var text = path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path.TrimStart('#');
        var pointer = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                continue;
            }

            if (text[i] == '[')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    // Newtonsoft's ['name'] with \-escapes.
                    var name = new StringBuilder();
                    var j = i + 2;
                    while (j < text.Length && !(text[j] == '\'' && j + 1 < text.Length && text[j + 1] == ']'))
                    {
                        if (text[j] == '\\' && j + 1 < text.Length)
                        {
                            j++;
                        }

                        name.Append(text[j]);
                        j++;
                    }

                    pointer.Append('/').Append(Escape(name.ToString()));
                    i = Math.Min(j + 2, text.Length);
                    continue;
                }

                var close = text.IndexOf(']', i);
                if (close > i)
                {
                    pointer.Append('/').Append(text, i + 1, close - i - 1);
                    i = close + 1;
                    continue;
                }
            }

            var end = i;
            while (end < text.Length && text[end] != '.' && (text[end] != '[' || end == i))
            {
                end++;
            }

            pointer.Append('/').Append(Escape(text[i..end]));
            i = end;
        }

        return pointer.ToString();
    }

    /// <summary>Escapes one reference token of a JSON pointer (RFC 6901): "~" as "~0", "/" as "~1".</summary>
    internal static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private Compiled Compile(JsonObject schema)
    {
        var text = schema.ToJsonString();
        if (_schemas.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var compiled = Compiled.From(text);
        if (_schemas.Count >= MaxCachedSchemas)
        {
            _schemas.Clear();
        }

        return _schemas.GetOrAdd(text, compiled);
    }

    private static JToken ReadData(JsonNode? data)
    {
        var text = data?.ToJsonString() ?? "null";
        using var reader = new JsonTextReader(new StringReader(text))
        {
            // Keep date-like strings strings (NJsonSchema's own Validate(string) does the same).
            DateParseHandling = DateParseHandling.None,
            MaxDepth = 128,
        };
        return JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load });
    }

    private static void Collect(ValidationError error, PointerIndex pointers, List<(int, int, FieldError)> found)
    {
        switch (error)
        {
            case ChildSchemaValidationError child when error.Kind is ValidationErrorKind.NotAnyOf or ValidationErrorKind.NotOneOf:
                CollectAlternatives(error, child.Errors.Values.ToList(), unionOfCandidates: false, pointers, found);
                return;
            case ChildSchemaValidationError child:
                // ArrayItemNotValid, AdditionalItemNotValid, AdditionalPropertiesNotValid, NotAllOf: every nested error holds.
                foreach (var nested in child.Errors.Values.SelectMany(e => e))
                {
                    Collect(nested, pointers, found);
                }

                return;
            case MultiTypeValidationError multi:
                // "type": [..]: the branches of the types the value has are the ones that matter (both "integer" and
                // "number" for 5, say), and they report the same constraints.
                CollectAlternatives(error, multi.Errors.Values.ToList(), unionOfCandidates: true, pointers, found);
                return;
            default:
                Add(error, Message(error), pointers, found);
                return;
        }
    }

    /// <summary>
    /// Flattens a failed choice between schemas (<c>anyOf</c>, <c>oneOf</c>, several types): the errors of the branch
    /// whose type the value has, or "must be a string or an object" when it has none of them.
    /// </summary>
    private static void CollectAlternatives(ValidationError error, List<ICollection<ValidationError>> branches, bool unionOfCandidates, PointerIndex pointers, List<(int, int, FieldError)> found)
    {
        var at = PointerOf(error, pointers);
        if (error.Kind == ValidationErrorKind.NotOneOf && branches.Count(b => b.Count == 0) > 1)
        {
            Add(error, "must match exactly one of the allowed forms, but matches several", pointers, found);
            return;
        }

        // A branch whose type the value has (no type mismatch on the value itself) is the one the person meant.
        bool MismatchesHere(ValidationError e) => IsTypeMismatch(e.Kind) && PointerOf(e, pointers) == at;
        var candidates = branches.Where(b => !b.Any(MismatchesHere)).ToList();
        if (candidates.Count == 1 || (unionOfCandidates && candidates.Count > 1))
        {
            foreach (var nested in candidates.SelectMany(b => b))
            {
                Collect(nested, pointers, found);
            }
        }
        else if (candidates.Count == 0)
        {
            Add(error, MustBeOneOfTypes(branches.SelectMany(b => b).Where(MismatchesHere).Select(e => e.Kind)), pointers, found);
        }
        else
        {
            Add(error, error.Kind == ValidationErrorKind.NotOneOf ? "must match exactly one of the allowed forms" : "must match at least one of the allowed forms", pointers, found);
        }
    }

    private static void Add(ValidationError error, string message, PointerIndex pointers, List<(int, int, FieldError)> found) =>
        found.Add((error.HasLineInfo ? error.LineNumber : int.MaxValue, error.HasLineInfo ? error.LinePosition : int.MaxValue, new FieldError(PointerOf(error, pointers), message)));

    private static string PointerOf(ValidationError error, PointerIndex pointers)
    {
        if (error.Kind == ValidationErrorKind.PropertyRequired)
        {
            // NJsonSchema reports a missing property on the object that lacks it; Property names the missing one.
            var parent = error.HasLineInfo && pointers.TryGet(error.LineNumber, error.LinePosition, out var p)
                ? p
                : ParentOf(PointerFromPath(error.Path));
            return parent + "/" + Escape(error.Property ?? "");
        }

        return error.HasLineInfo && pointers.TryGet(error.LineNumber, error.LinePosition, out var pointer)
            ? pointer
            : PointerFromPath(error.Path);
    }

    private static string ParentOf(string pointer)
    {
        var slash = pointer.LastIndexOf('/');
        return slash <= 0 ? "" : pointer[..slash];
    }

    private static bool IsTypeMismatch(ValidationErrorKind kind) => TypeName(kind) is not null;

    private static string? TypeName(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.StringExpected => "a string",
        ValidationErrorKind.NumberExpected => "a number",
        ValidationErrorKind.IntegerExpected => "an integer",
        ValidationErrorKind.BooleanExpected => "a boolean",
        ValidationErrorKind.ObjectExpected => "an object",
        ValidationErrorKind.ArrayExpected => "an array",
        ValidationErrorKind.NullExpected => "null",
        _ => null,
    };

    private static string MustBeOneOfTypes(IEnumerable<ValidationErrorKind> kinds)
    {
        // NJsonSchema lists "null" first (its flag order); a person reads "a string or null".
        var names = kinds.Select(TypeName).OfType<string>().Distinct().OrderBy(n => n == "null").ToList();
        return names.Count switch
        {
            0 => "must match one of the allowed forms",
            1 => "must be " + names[0],
            _ => "must be " + string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
        };
    }

    private static string Message(ValidationError error)
    {
        var schema = error.Schema;
        switch (error.Kind)
        {
            case ValidationErrorKind.PropertyRequired:
                return "is required";
            case var kind when TypeName(kind) is { } type:
                return "must be " + type;
            case ValidationErrorKind.NotInEnumeration when schema is { Enumeration.Count: > 0 }:
                return "must be one of " + string.Join(", ", schema.Enumeration.Select(FormatValue));
            case ValidationErrorKind.NumberTooSmall when schema is not null && LowerBound(schema) is var (value, exclusive):
                return (exclusive ? "must be greater than " : "must be at least ") + FormatNumber(value);
            case ValidationErrorKind.NumberTooBig when schema is not null && UpperBound(schema) is var (value, exclusive):
                return (exclusive ? "must be less than " : "must be at most ") + FormatNumber(value);
            case ValidationErrorKind.StringTooShort when schema?.MinLength is { } min:
                return $"must be at least {Count(min, "character")}";
            case ValidationErrorKind.StringTooLong when schema?.MaxLength is { } max:
                return $"must be at most {Count(max, "character")}";
            case ValidationErrorKind.PatternMismatch when !string.IsNullOrEmpty(schema?.Pattern):
                return "must match the pattern " + schema.Pattern;
            case ValidationErrorKind.TooFewItems when schema is not null:
                return $"must have at least {Count(schema.MinItems, "item")}";
            case ValidationErrorKind.TooManyItems when schema is not null:
                return $"must have at most {Count(schema.MaxItems, "item")}";
            case ValidationErrorKind.ItemsNotUnique:
                return "must not contain duplicate items";
            case ValidationErrorKind.TooFewProperties when schema is not null:
                return $"must have at least {Count(schema.MinProperties, "property", "properties")}";
            case ValidationErrorKind.TooManyProperties when schema is not null:
                return $"must have at most {Count(schema.MaxProperties, "property", "properties")}";
            case ValidationErrorKind.NoAdditionalPropertiesAllowed or ValidationErrorKind.TooManyItemsInTuple:
                return "is not allowed";
            case ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf when schema?.MultipleOf is { } step:
                return "must be a multiple of " + FormatNumber(step);
            case ValidationErrorKind.ExcludedSchemaValidates:
                return "must not match the excluded form";
            case ValidationErrorKind.NotAnyOf:
                return "must match at least one of the allowed forms";
            case ValidationErrorKind.NotOneOf:
                return "must match exactly one of the allowed forms";
            case ValidationErrorKind.DateTimeExpected or ValidationErrorKind.DateExpected or ValidationErrorKind.TimeExpected
                or ValidationErrorKind.TimeSpanExpected or ValidationErrorKind.UriExpected or ValidationErrorKind.IpV4Expected
                or ValidationErrorKind.IpV6Expected or ValidationErrorKind.GuidExpected or ValidationErrorKind.UuidExpected
                or ValidationErrorKind.EmailExpected or ValidationErrorKind.HostnameExpected or ValidationErrorKind.Base64Expected:
                return "must be a valid " + (string.IsNullOrEmpty(schema?.Format) ? Humanize(error.Kind.ToString()).Replace(" expected", "", StringComparison.Ordinal) : schema.Format);
            default:
                return $"is invalid ({Humanize(error.Kind.ToString())})";
        }
    }

    /// <summary>The tightest lower bound: draft 4 (<c>minimum</c> + boolean <c>exclusiveMinimum</c>) or draft 6 (numeric <c>exclusiveMinimum</c>).</summary>
    private static (decimal Value, bool Exclusive)? LowerBound(JsonSchema schema)
    {
        (decimal, bool)? bound = schema.Minimum is { } min ? (min, schema.IsExclusiveMinimum) : null;
        if (schema.ExclusiveMinimum is { } exclusive && (bound is not { } b || exclusive >= b.Item1))
        {
            bound = (exclusive, true);
        }

        return bound;
    }

    private static (decimal Value, bool Exclusive)? UpperBound(JsonSchema schema)
    {
        (decimal, bool)? bound = schema.Maximum is { } max ? (max, schema.IsExclusiveMaximum) : null;
        if (schema.ExclusiveMaximum is { } exclusive && (bound is not { } b || exclusive <= b.Item1))
        {
            bound = (exclusive, true);
        }

        return bound;
    }

    private static string Count(int n, string one, string? many = null) => $"{n} {(n == 1 ? one : many ?? one + "s")}";

    private static string FormatNumber(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        decimal d => FormatNumber(d),
        JToken t => t.ToString(Formatting.None),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>"NumberTooSmall" → "number too small".</summary>
    private static string Humanize(string kind)
    {
        var text = new StringBuilder();
        foreach (var c in kind)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>The first line of an exception message, at most 300 characters (Newtonsoft's repeat the whole path).</summary>
    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? message : message[..end];
        return line.Length <= 300 ? line : line[..297] + "...";
    }

    // ---- Schema checks -------------------------------------------------------------------------------------

    private static void CheckNode(JsonNode? node, string at, List<string> problems)
    {
        var where = at.Length == 0 ? "schema" : $"schema at {at}";
        if (node is not JsonObject schema)
        {
            // NJsonSchema 10 reads neither boolean schemas nor anything else that is not an object.
            problems.Add($"{where}: must be a JSON object, not {Describe(node)}");
            return;
        }

        foreach (var (keyword, value) in schema)
        {
            var child = at + "/" + Escape(keyword);
            switch (keyword)
            {
                case "type":
                    CheckType(value, where, problems);
                    break;
                case "required":
                    if (value is not JsonArray names || names.Any(n => n?.GetValueKind() != JsonValueKind.String))
                    {
                        problems.Add($"{where}: 'required' must be an array of property names");
                    }

                    break;
                case "properties" or "definitions" or "$defs":
                    if (value is not JsonObject members)
                    {
                        problems.Add($"{where}: '{keyword}' must be an object of schemas, not {Describe(value)}");
                        break;
                    }

                    foreach (var (name, member) in members)
                    {
                        CheckNode(member, child + "/" + Escape(name), problems);
                    }

                    break;
                case "patternProperties":
                    if (value is not JsonObject patterns)
                    {
                        problems.Add($"{where}: 'patternProperties' must be an object of schemas, not {Describe(value)}");
                        break;
                    }

                    foreach (var (pattern, member) in patterns)
                    {
                        CheckPattern(pattern, where, "a 'patternProperties' key", problems);
                        CheckNode(member, child + "/" + Escape(pattern), problems);
                    }

                    break;
                case "items":
                    if (value is JsonArray tuple)
                    {
                        for (var i = 0; i < tuple.Count; i++)
                        {
                            CheckNode(tuple[i], child + "/" + i.ToString(CultureInfo.InvariantCulture), problems);
                        }
                    }
                    else
                    {
                        CheckNode(value, child, problems);
                    }

                    break;
                case "additionalProperties" or "additionalItems":
                    if (value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        CheckNode(value, child, problems);
                    }

                    break;
                case "allOf" or "anyOf" or "oneOf":
                    if (value is not JsonArray { Count: > 0 } branches)
                    {
                        problems.Add($"{where}: '{keyword}' must be a non-empty array of schemas");
                        break;
                    }

                    for (var i = 0; i < branches.Count; i++)
                    {
                        CheckNode(branches[i], child + "/" + i.ToString(CultureInfo.InvariantCulture), problems);
                    }

                    break;
                case "not":
                    CheckNode(value, child, problems);
                    break;
                case "enum":
                    if (value is not JsonArray { Count: > 0 })
                    {
                        problems.Add($"{where}: 'enum' must be a non-empty array");
                    }

                    break;
                case "minimum" or "maximum":
                    if (value?.GetValueKind() != JsonValueKind.Number)
                    {
                        problems.Add($"{where}: '{keyword}' must be a number, not {Describe(value)}");
                    }

                    break;
                case "exclusiveMinimum" or "exclusiveMaximum":
                    if (value?.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    {
                        problems.Add($"{where}: '{keyword}' must be a number (or a boolean, draft 4), not {Describe(value)}");
                    }

                    break;
                case "multipleOf":
                    if (value?.GetValueKind() != JsonValueKind.Number || value.GetValue<double>() <= 0)
                    {
                        problems.Add($"{where}: 'multipleOf' must be a number greater than 0");
                    }

                    break;
                case "minLength" or "maxLength" or "minItems" or "maxItems" or "minProperties" or "maxProperties":
                    if (value?.GetValueKind() != JsonValueKind.Number || !value.AsValue().TryGetValue<int>(out var count) || count < 0)
                    {
                        problems.Add($"{where}: '{keyword}' must be a non-negative integer, not {Describe(value)}");
                    }

                    break;
                case "pattern":
                    if (value?.GetValueKind() != JsonValueKind.String)
                    {
                        problems.Add($"{where}: 'pattern' must be a string, not {Describe(value)}");
                    }
                    else
                    {
                        CheckPattern(value.GetValue<string>(), where, "'pattern'", problems);
                    }

                    break;
                case "uniqueItems":
                    if (value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        problems.Add($"{where}: 'uniqueItems' must be a boolean, not {Describe(value)}");
                    }

                    break;
                case "format" or "title" or "description" or "$ref" or "$schema" or "$id" or "id":
                    if (value?.GetValueKind() != JsonValueKind.String)
                    {
                        problems.Add($"{where}: '{keyword}' must be a string, not {Describe(value)}");
                    }

                    break;
            }
        }
    }

    private static void CheckType(JsonNode? value, string where, List<string> problems)
    {
        var known = string.Join(", ", JsonTypes);
        if (value?.GetValueKind() == JsonValueKind.String)
        {
            var name = value.GetValue<string>();
            if (!JsonTypes.Contains(name, StringComparer.Ordinal))
            {
                problems.Add($"{where}: 'type' must be one of {known}, not \"{name}\"");
            }

            return;
        }

        if (value is not JsonArray { Count: > 0 } types)
        {
            problems.Add($"{where}: 'type' must be one of {known} or a non-empty array of them, not {Describe(value)}");
            return;
        }

        foreach (var type in types)
        {
            if (type?.GetValueKind() != JsonValueKind.String || !JsonTypes.Contains(type.GetValue<string>(), StringComparer.Ordinal))
            {
                problems.Add($"{where}: 'type' must list only {known}, not {Describe(type)}");
            }
        }
    }

    private static void CheckPattern(string pattern, string where, string what, List<string> problems)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            problems.Add($"{where}: {what} is not a valid regular expression: {FirstLine(e.Message)}");
        }
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => System.Text.Json.JsonSerializer.Serialize(node.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    /// <summary>A schema as NJsonSchema read it, or why it could not.</summary>
    private sealed record Compiled(JsonSchema? Schema, string? Problem)
    {
        public static Compiled From(string text)
        {
            try
            {
                // Local references only: a form schema must be self-contained, and validating must not read files or the network.
                // Without external references FromJsonAsync completes synchronously.
                var schema = JsonSchema.FromJsonAsync(text, null, s => new LocalReferenceResolver(new JsonSchemaAppender(s, new DefaultTypeNameGenerator())))
                    .GetAwaiter().GetResult();
                return new Compiled(schema, null);
            }
            catch (Exception e) when (e is Newtonsoft.Json.JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException or OverflowException)
            {
                var cause = e;
                while (cause.InnerException is not null)
                {
                    cause = cause.InnerException;
                }

                return new Compiled(null, cause == e ? FirstLine(e.Message) : $"{FirstLine(e.Message)} ({FirstLine(cause.Message)})");
            }
        }
    }

    private sealed class LocalReferenceResolver(JsonSchemaAppender appender) : JsonReferenceResolver(appender)
    {
        public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"the external reference '{filePath}' is not supported: a form schema must be self-contained");

        public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"the external reference '{url}' is not supported: a form schema must be self-contained");
    }

    /// <summary>The pointer of every token of the data, by the line and column Newtonsoft recorded for it.</summary>
    /// <remarks>
    /// Each token's position is that of a character only it owns (a container's opening bracket, the end of a value's
    /// literal, a property's colon), so positions are unique. A property and its value have the same pointer.
    /// </remarks>
    private sealed class PointerIndex
    {
        private readonly Dictionary<(int, int), string> _pointers = [];

        public static PointerIndex Of(JToken root)
        {
            var index = new PointerIndex();
            index.Visit(root, "");
            return index;
        }

        public bool TryGet(int line, int column, out string pointer) => _pointers.TryGetValue((line, column), out pointer!);

        private void Visit(JToken token, string pointer)
        {
            if (token is IJsonLineInfo info && info.HasLineInfo())
            {
                _pointers.TryAdd((info.LineNumber, info.LinePosition), pointer);
            }

            switch (token)
            {
                case JObject obj:
                    foreach (var property in obj.Properties())
                    {
                        Visit(property, pointer + "/" + Escape(property.Name));
                    }

                    break;
                case JProperty property:
                    Visit(property.Value, pointer);
                    break;
                case JArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Visit(array[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }
    }
}
