using System.Globalization;

namespace Workflows.Graph.Conditions;

/// <summary>
/// Recursive-descent parser of condition expressions:
/// <code>
/// or      := and (("||" | "or") and)*
/// and     := unary (("&amp;&amp;" | "and") unary)*
/// unary   := ("!" | "not") unary | compare
/// compare := primary (("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") primary)?
/// primary := number | string | true | false | null | path | "(" or ")"
/// path    := name ("." (name | digits))*
/// </code>
/// </summary>
internal sealed class ExpressionParser
{
    /// <summary>Longer expressions are refused: evaluation cost stays bounded.</summary>
    public const int MaxLength = 1000;

    /// <summary>Deeper nesting is refused, so parsing and evaluation cannot exhaust the stack.</summary>
    public const int MaxDepth = 32;

    private readonly string _text;
    private int _position;
    private int _depth;

    private ExpressionParser(string text) => _text = text;

    public static ExpressionNode Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ExpressionSyntaxException(text ?? "", 0, "the expression is empty");
        }
        if (text.Length > MaxLength)
        {
            throw new ExpressionSyntaxException(text[..40] + "…", MaxLength, $"longer than {MaxLength} characters");
        }
        var parser = new ExpressionParser(text);
        var node = parser.ParseOr();
        parser.SkipSpace();
        if (parser._position < text.Length)
        {
            throw parser.Error($"unexpected '{text[parser._position]}'");
        }
        return node;
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||") || AcceptWord("or"))
        {
            left = new LogicalNode("||", left, ParseAnd());
        }
        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseUnary();
        while (Accept("&&") || AcceptWord("and"))
        {
            left = new LogicalNode("&&", left, ParseUnary());
        }
        return left;
    }

    private ExpressionNode ParseUnary()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nested deeper than {MaxDepth} levels");
        }
        var node = (Peek("!=") ? false : Accept("!")) || AcceptWord("not") ? new NotNode(ParseUnary()) : ParseComparison();
        _depth--;
        return node;
    }

    private ExpressionNode ParseComparison()
    {
        var left = ParsePrimary();
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (Accept(op))
            {
                return new ComparisonNode(op, left, ParsePrimary());
            }
        }
        if (Peek("="))
        {
            throw Error("'=' is not an operator; compare with '=='");
        }
        return left;
    }

    private ExpressionNode ParsePrimary()
    {
        SkipSpace();
        if (_position >= _text.Length)
        {
            throw Error("the expression ends where a value was expected");
        }
        var c = _text[_position];
        if (Accept("("))
        {
            var inner = ParseOr();
            if (!Accept(")"))
            {
                throw Error("missing ')'");
            }
            return inner;
        }
        if (c is '"' or '\'')
        {
            return new LiteralNode(ReadString(c));
        }
        if (char.IsDigit(c) || (c == '-' && _position + 1 < _text.Length && char.IsDigit(_text[_position + 1])))
        {
            return new LiteralNode(ReadNumber());
        }
        if (char.IsLetter(c) || c == '_')
        {
            var path = ReadPath();
            return path switch
            {
                "true" => new LiteralNode(true),
                "false" => new LiteralNode(false),
                "null" => new LiteralNode(null),
                _ => new PathNode(path),
            };
        }
        throw Error($"unexpected '{c}'");
    }

    private string ReadString(char quote)
    {
        var start = ++_position;
        while (_position < _text.Length && _text[_position] != quote)
        {
            _position++;
        }
        if (_position >= _text.Length)
        {
            throw Error("unterminated string");
        }
        return _text[start.._position++];
    }

    private double ReadNumber()
    {
        var start = _position++;
        while (_position < _text.Length && (char.IsDigit(_text[_position]) || _text[_position] == '.'))
        {
            _position++;
        }
        var token = _text[start.._position];
        return double.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"'{token}' is not a number");
    }

    private string ReadPath()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.'))
        {
            _position++;
        }
        var path = _text[start.._position];
        if (path.EndsWith('.') || path.Contains("..", StringComparison.Ordinal))
        {
            throw Error($"'{path}' is not a valid path");
        }
        return path;
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }
        _position += token.Length;
        return true;
    }

    private bool Peek(string token)
    {
        SkipSpace();
        return string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0;
    }

    private bool AcceptWord(string word)
    {
        SkipSpace();
        var end = _position + word.Length;
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0
            || (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_')))
        {
            return false;
        }
        _position = end;
        return true;
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private ExpressionSyntaxException Error(string reason) => new(_text, _position, reason);
}
