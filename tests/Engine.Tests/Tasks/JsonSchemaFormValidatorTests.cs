using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Tasks;

/// <summary>
/// The NJsonSchema-backed form validator: every violation at once, each with the RFC 6901 pointer of the offending
/// field and a message carrying the schema's constraint.
/// </summary>
public sealed class JsonSchemaFormValidatorTests
{
    private readonly JsonSchemaFormValidator _validator = new();

    // The approval forms of the reference (parallel_approvals: legal, finance, security).
    private const string LegalSchema = """
        {"type": "object", "required": ["approved"],
         "properties": {"approved": {"type": "boolean"}, "comments": {"type": "string"}}}
        """;

    private const string FinanceSchema = """
        {"type": "object", "required": ["approved"],
         "properties": {"approved": {"type": "boolean"}, "budget_code": {"type": "string"}}}
        """;

    private const string FinanceStrictSchema = """
        {"type": "object", "required": ["approved", "budget_code"],
         "properties": {"approved": {"type": "boolean"}, "budget_code": {"type": "string", "pattern": "^[A-Z]{2}-\\d{4}$"}}}
        """;

    private const string SecuritySchema = """
        {"type": "object", "required": ["approved", "risk_level"],
         "properties": {"approved": {"type": "boolean"}, "risk_level": {"type": "string", "enum": ["low", "medium", "high"]}}}
        """;

    private static JsonObject Schema(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonNode? Data(string json) => JsonNode.Parse(json);

    private IReadOnlyList<FieldError> Validate(string schema, string? data) => _validator.Validate(Schema(schema), data is null ? null : Data(data));

    private static FieldError Single(IReadOnlyList<FieldError> errors, string pointer) =>
        Assert.Single(errors, e => e.Pointer == pointer);

    [Theory]
    [InlineData(LegalSchema, """{"approved": true, "comments": "fine"}""")]
    [InlineData(LegalSchema, """{"approved": false}""")]
    [InlineData(FinanceSchema, """{"approved": true, "budget_code": "anything"}""")]
    [InlineData(FinanceStrictSchema, """{"approved": true, "budget_code": "EU-2024"}""")]
    [InlineData(SecuritySchema, """{"approved": false, "risk_level": "high"}""")]
    public void Valid_data_gives_no_errors(string schema, string data) =>
        Assert.Empty(Validate(schema, data));

    [Fact]
    public void Missing_required_property_is_reported_at_its_own_pointer()
    {
        var errors = Validate(LegalSchema, """{"comments": "no decision"}""");

        Assert.Equal([new FieldError("/approved", "is required")], errors);
    }

    [Theory]
    [InlineData("boolean", "\"yes\"", "must be a boolean")]
    [InlineData("number", "\"12\"", "must be a number")]
    [InlineData("integer", "1.5", "must be an integer")]
    [InlineData("string", "12", "must be a string")]
    [InlineData("object", "[]", "must be an object")]
    [InlineData("array", "{}", "must be an array")]
    public void Wrong_type_names_the_expected_type(string type, string value, string message)
    {
        var schema = $$"""{"type": "object", "properties": {"field": {"type": "{{type}}" } } }""";

        Assert.Equal([new FieldError("/field", message)], Validate(schema, $$"""{"field": {{value}}}"""));
    }

    [Fact]
    public void Legal_form_with_a_string_for_approved_is_a_type_error()
    {
        Assert.Equal([new FieldError("/approved", "must be a boolean")], Validate(LegalSchema, """{"approved": "yes"}"""));
    }

    [Fact]
    public void Enum_violation_lists_the_allowed_values_of_the_schema()
    {
        var errors = Validate(SecuritySchema, """{"approved": true, "risk_level": "extreme"}""");

        Assert.Equal([new FieldError("/risk_level", "must be one of low, medium, high")], errors);
    }

    [Fact]
    public void Enum_of_mixed_values_is_listed_as_json()
    {
        var schema = """{"type": "object", "properties": {"v": {"enum": ["a", 1, 2.5, true, null]}}}""";

        Assert.Equal([new FieldError("/v", "must be one of a, 1, 2.5, true, null")], Validate(schema, """{"v": "b"}"""));
    }

    [Theory]
    [InlineData("-1", "must be at least 0")]
    [InlineData("100.5", "must be at most 100")]
    public void Minimum_and_maximum_carry_the_bound(string value, string message)
    {
        var schema = """{"type": "object", "properties": {"amount": {"type": "number", "minimum": 0, "maximum": 100}}}""";

        Assert.Equal([new FieldError("/amount", message)], Validate(schema, $$"""{"amount": {{value}}}"""));
        Assert.Empty(Validate(schema, """{"amount": 100}"""));
        Assert.Empty(Validate(schema, """{"amount": 0}"""));
    }

    [Theory]
    [InlineData("""{"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10}""", "0", "must be greater than 0")]
    [InlineData("""{"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10}""", "10", "must be less than 10")]
    [InlineData("""{"type": "number", "minimum": 0, "exclusiveMinimum": true}""", "0", "must be greater than 0")]
    [InlineData("""{"type": "number", "maximum": 1.5, "exclusiveMaximum": true}""", "1.5", "must be less than 1.5")]
    public void Exclusive_bounds_of_draft_4_and_draft_6(string property, string value, string message)
    {
        var schema = $$$"""{"type": "object", "properties": {"n": {{{property}}}}}""";

        Assert.Equal([new FieldError("/n", message)], Validate(schema, $$"""{"n": {{value}}}"""));
    }

    [Fact]
    public void String_length_limits_carry_the_count()
    {
        var schema = """{"type": "object", "properties": {"comments": {"type": "string", "minLength": 3, "maxLength": 5}, "one": {"type": "string", "minLength": 1}}}""";

        Assert.Equal([new FieldError("/comments", "must be at least 3 characters")], Validate(schema, """{"comments": "ok"}"""));
        Assert.Equal([new FieldError("/comments", "must be at most 5 characters")], Validate(schema, """{"comments": "too long"}"""));
        Assert.Equal([new FieldError("/one", "must be at least 1 character")], Validate(schema, """{"one": ""}"""));
    }

    [Fact]
    public void Pattern_mismatch_quotes_the_pattern()
    {
        var errors = Validate(FinanceStrictSchema, """{"approved": true, "budget_code": "eu-24"}""");

        Assert.Equal([new FieldError("/budget_code", @"must match the pattern ^[A-Z]{2}-\d{4}$")], errors);
    }

    [Fact]
    public void Finance_form_with_required_budget_code_reports_both_missing_fields()
    {
        var errors = Validate(FinanceStrictSchema, "{}");

        Assert.Equal([new FieldError("/approved", "is required"), new FieldError("/budget_code", "is required")], errors);
    }

    [Fact]
    public void Nested_object_errors_have_nested_pointers()
    {
        var schema = """
            {"type": "object", "properties": {
              "address": {"type": "object", "required": ["street", "city"],
                          "properties": {"street": {"type": "string", "minLength": 3}, "city": {"type": "string"}}}}}
            """;

        var errors = Validate(schema, """{"address": {"street": "ab"}}""");

        Assert.Equal(
            new HashSet<FieldError> { new("/address/street", "must be at least 3 characters"), new("/address/city", "is required") },
            errors.ToHashSet());
    }

    [Fact]
    public void Array_item_errors_have_index_pointers_and_item_counts_are_checked()
    {
        var schema = """
            {"type": "object", "properties": {
              "items": {"type": "array", "minItems": 3, "maxItems": 4,
                        "items": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}, "price": {"type": "number", "minimum": 0}}}}}}
            """;

        var errors = Validate(schema, """{"items": [{"x": 1, "price": -2}, {"x": "two"}]}""");

        Assert.Equal(
            [
                new FieldError("/items", "must have at least 3 items"),
                new FieldError("/items/0/price", "must be at least 0"),
                new FieldError("/items/1/x", "must be an integer"),
            ],
            errors);
        Assert.Equal([new FieldError("/items/2/x", "is required")], Validate(schema, """{"items": [{"x": 1}, {"x": 2}, {}]}"""));
        Assert.Equal([new FieldError("/items", "must have at most 4 items")], Validate(schema, """{"items": [{"x": 1}, {"x": 2}, {"x": 3}, {"x": 4}, {"x": 5}]}"""));
    }

    [Fact]
    public void Additional_properties_false_reports_each_unknown_property()
    {
        var schema = """{"type": "object", "additionalProperties": false, "required": ["approved"], "properties": {"approved": {"type": "boolean"}}}""";

        var errors = Validate(schema, """{"approved": true, "extra": 1, "x.y": {"deep": true}}""");

        Assert.Equal([new FieldError("/extra", "is not allowed"), new FieldError("/x.y", "is not allowed")], errors);
    }

    [Fact]
    public void Additional_properties_schema_errors_point_at_the_property()
    {
        var schema = """{"type": "object", "properties": {}, "additionalProperties": {"type": "string"}}""";

        Assert.Equal([new FieldError("/a.b", "must be a string")], Validate(schema, """{"ok": "s", "a.b": 5}"""));
    }

    [Fact]
    public void Several_violations_are_reported_together()
    {
        var schema = """
            {"type": "object", "required": ["approved", "risk_level", "budget_code"], "additionalProperties": false,
             "properties": {
               "approved": {"type": "boolean"},
               "risk_level": {"type": "string", "enum": ["low", "medium", "high"]},
               "budget_code": {"type": "string", "pattern": "^[A-Z]{2}-\\d{4}$"},
               "comments": {"type": "string", "maxLength": 10},
               "address": {"type": "object", "properties": {"street": {"type": "string"}}},
               "items": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "integer"}}}}}}
            """;

        var errors = Validate(schema, """
            {"risk_level": "extreme", "budget_code": "nope", "comments": "far too long for this",
             "address": {"street": 12}, "items": [{"x": 1}, {"x": "y"}], "unknown": true}
            """);

        Assert.Equal(
            new[] { "/approved", "/risk_level", "/budget_code", "/comments", "/address/street", "/items/1/x", "/unknown" }.Order(),
            errors.Select(e => e.Pointer).Order());
    }

    [Fact]
    public void Errors_come_in_document_order()
    {
        var schema = """
            {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}}}
            """;

        var errors = Validate(schema, """{"c": 1, "a": 2, "b": 3}""");

        Assert.Equal(["/c", "/a", "/b"], errors.Select(e => e.Pointer));
    }

    [Fact]
    public void Null_data_is_reported_not_thrown()
    {
        var errors = _validator.Validate(Schema(SecuritySchema), null);

        Assert.Equal(
            [new FieldError("", "must be an object"), new FieldError("/approved", "is required"), new FieldError("/risk_level", "is required")],
            errors);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"approved\"")]
    [InlineData("42")]
    public void Data_that_is_not_an_object_is_reported_at_the_root(string data)
    {
        var errors = Validate(LegalSchema, data);

        Assert.Equal(new FieldError("", "must be an object"), errors[0]);
        Assert.Contains(new FieldError("/approved", "is required"), errors);
    }

    [Fact]
    public void Property_names_with_slash_and_tilde_are_escaped()
    {
        var schema = """
            {"type": "object", "required": ["a/b", "c~d"],
             "properties": {"a/b": {"type": "string"}, "c~d": {"type": "string"}, "e/f~g": {"type": "object", "properties": {"h/i": {"type": "integer"}}}}}
            """;

        Assert.Equal([new FieldError("/a~1b", "is required"), new FieldError("/c~0d", "is required")], Validate(schema, "{}"));
        Assert.Equal(
            [new FieldError("/a~1b", "must be a string"), new FieldError("/e~1f~0g/h~1i", "must be an integer")],
            Validate(schema, """{"a/b": 1, "c~d": "ok", "e/f~g": {"h/i": "x"}}"""));
    }

    [Fact]
    public void Property_names_with_dots_and_brackets_are_not_split()
    {
        var schema = """
            {"type": "object", "properties": {"x.y": {"type": "object", "required": ["z[0]"], "properties": {"z[0]": {"type": "integer"}}}}}
            """;

        Assert.Equal([new FieldError("/x.y/z[0]", "must be an integer")], Validate(schema, """{"x.y": {"z[0]": "s"}}"""));
        Assert.Equal([new FieldError("/x.y/z[0]", "is required")], Validate(schema, """{"x.y": {}}"""));
    }

    [Theory]
    [InlineData("email", "\"not-an-email\"", "must be a valid email")]
    [InlineData("date-time", "\"yesterday\"", "must be a valid date-time")]
    public void Format_violations_name_the_format(string format, string value, string message)
    {
        var schema = $$"""{"type": "object", "properties": {"f": {"type": "string", "format": "{{format}}" } } }""";

        Assert.Equal([new FieldError("/f", message)], Validate(schema, $$"""{"f": {{value}}}"""));
    }

    [Fact]
    public void Valid_date_time_string_is_accepted()
    {
        var schema = """{"type": "object", "properties": {"f": {"type": "string", "format": "date-time"}}}""";

        Assert.Empty(Validate(schema, """{"f": "2024-05-01T12:30:00Z"}"""));
    }

    [Fact]
    public void One_of_is_flattened_to_the_branch_of_the_values_type()
    {
        var schema = """
            {"type": "object", "properties": {"choice": {"oneOf": [
              {"type": "string"},
              {"type": "object", "required": ["q"], "properties": {"q": {"type": "integer"}}}]}}}
            """;

        Assert.Equal([new FieldError("/choice/q", "must be an integer")], Validate(schema, """{"choice": {"q": "s"}}"""));
        Assert.Equal([new FieldError("/choice/q", "is required")], Validate(schema, """{"choice": {}}"""));
        Assert.Equal([new FieldError("/choice", "must be a string or an object")], Validate(schema, """{"choice": 5}"""));
        Assert.Empty(Validate(schema, """{"choice": "s"}"""));
    }

    [Fact]
    public void Any_of_without_a_matching_type_lists_the_types()
    {
        var schema = """{"type": "object", "properties": {"v": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}""";

        Assert.Equal([new FieldError("/v", "must be a string or an integer")], Validate(schema, """{"v": true}"""));
    }

    [Fact]
    public void Nullable_type_reports_the_constraint_of_the_values_type()
    {
        var schema = """{"type": "object", "properties": {"v": {"type": ["string", "null"], "maxLength": 2}}}""";

        Assert.Equal([new FieldError("/v", "must be at most 2 characters")], Validate(schema, """{"v": "abc"}"""));
        Assert.Equal([new FieldError("/v", "must be a string or null")], Validate(schema, """{"v": 1}"""));
        Assert.Empty(Validate(schema, """{"v": null}"""));
    }

    [Fact]
    public void Property_names_are_case_sensitive()
    {
        Assert.Equal([new FieldError("/approved", "is required")], Validate(LegalSchema, """{"Approved": true}"""));
    }

    [Fact]
    public void Same_schema_text_is_parsed_once()
    {
        var validator = new JsonSchemaFormValidator();

        validator.Validate(Schema(LegalSchema), Data("""{"approved": true}"""));
        validator.Validate(Schema(LegalSchema), Data("""{"approved": false}"""));
        validator.CheckSchema(Schema(LegalSchema));
        validator.Validate(Schema(SecuritySchema), Data("{}"));

        Assert.Equal(2, validator.CachedSchemaCount);
    }

    [Fact]
    public async Task Concurrent_validation_gives_the_same_errors()
    {
        var validator = new JsonSchemaFormValidator();
        var schema = Schema(FinanceStrictSchema);
        var expected = new[] { new FieldError("/approved", "must be a boolean"), new FieldError("/budget_code", @"must match the pattern ^[A-Z]{2}-\d{4}$") };

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
            validator.Validate(schema, Data("""{"approved": "maybe", "budget_code": "x"}""")))));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Usable_schemas_have_no_problems()
    {
        Assert.Empty(_validator.CheckSchema(Schema(LegalSchema)));
        Assert.Empty(_validator.CheckSchema(Schema(FinanceStrictSchema)));
        Assert.Empty(_validator.CheckSchema(Schema(SecuritySchema)));
        Assert.Empty(_validator.CheckSchema(Schema("""
            {"type": "object", "definitions": {"code": {"type": "string"}},
             "properties": {"c": {"$ref": "#/definitions/code"}, "n": {"type": ["integer", "null"], "exclusiveMinimum": 0}}}
            """)));
    }

    [Theory]
    [InlineData("""{"type": "strin"}""", "'type'")]
    [InlineData("""{"type": ["string", 5]}""", "'type'")]
    [InlineData("""{"required": "approved"}""", "'required'")]
    [InlineData("""{"required": [1]}""", "'required'")]
    [InlineData("""{"properties": []}""", "'properties'")]
    [InlineData("""{"properties": {"a": 5}}""", "/properties/a")]
    [InlineData("""{"properties": {"a": {"type": "bool"}}}""", "/properties/a")]
    [InlineData("""{"properties": {"a": {"pattern": "("}}}""", "'pattern'")]
    [InlineData("""{"properties": {"a": {"enum": []}}}""", "'enum'")]
    [InlineData("""{"minimum": "x"}""", "'minimum'")]
    [InlineData("""{"minLength": 1.5}""", "'minLength'")]
    [InlineData("""{"items": 5}""", "/items")]
    [InlineData("""{"oneOf": {}}""", "'oneOf'")]
    [InlineData("""{"$ref": "#/definitions/missing"}""", "cannot be read")]
    [InlineData("""{"$ref": "http://example.com/schema.json"}""", "must be self-contained")]
    public void Malformed_schemas_are_rejected(string schema, string mentioned)
    {
        var problems = _validator.CheckSchema(Schema(schema));

        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.Contains(mentioned, StringComparison.Ordinal));
    }

    [Fact]
    public void Validating_against_an_unusable_schema_refuses_the_data_without_throwing()
    {
        var errors = Validate("""{"properties": []}""", "{}");

        var error = Assert.Single(errors);
        Assert.Equal("", error.Pointer);
        Assert.StartsWith("cannot be checked", error.Message, StringComparison.Ordinal);

        var badPattern = Validate("""{"properties": {"a": {"type": "string", "pattern": "("}}}""", """{"a": "x"}""");
        Assert.Equal("", Assert.Single(badPattern).Pointer);
    }

    [Fact]
    public void Default_factory_gives_a_shared_json_schema_validator()
    {
        Assert.IsType<JsonSchemaFormValidator>(FormValidators.JsonSchema);
        Assert.Same(FormValidators.JsonSchema, FormValidators.JsonSchema);
        Assert.Equal([new FieldError("/risk_level", "is required")], FormValidators.JsonSchema.Validate(Schema(SecuritySchema), Data("""{"approved": true}""")));
    }

    [Theory]
    [InlineData("#/", "")]
    [InlineData("#/address.street", "/address/street")]
    [InlineData("#/items[0]", "/items/0")]
    [InlineData("#/items[0].price", "/items/0/price")]
    [InlineData("#/['x.y'].a", "/x.y/a")]
    [InlineData("#/a/b", "/a~1b")]
    public void Fallback_path_conversion(string path, string pointer) =>
        Assert.Equal(pointer, JsonSchemaFormValidator.PointerFromPath(path));
}
