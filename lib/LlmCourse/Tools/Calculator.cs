using System.Globalization;

namespace LlmCourse.Tools;

/// <summary>
/// The assistant's calculator: arithmetic only, parsed and evaluated by a small recursive-descent parser of
/// our own — never handed to a scripting engine, so nothing the model writes can run as code.
///
/// Grammar (one rule per method below; × ÷ are what the course's word problems write, − is the Unicode
/// minus, and a "$" right before a number is read as a price and ignored):
/// <code>
/// sum     = product { ("+" | "-") product }
/// product = unary { ("*" | "×" | "/" | "÷") unary }
/// unary   = ("-" | "+") unary | primary
/// primary = number | "(" sum ")"
/// number  = digits ["." digits] | "." digits
/// </code>
/// Numbers are <see cref="decimal"/>s, so 0.1 + 0.2 is exactly 0.3 and 9 ÷ 3 prints "3"; a quotient that does
/// not end (1/3) is rounded to <see cref="Decimals"/> places. The parser reads each token once and its
/// recursion is capped at <see cref="MaxDepth"/>, so its time is linear in the input, which is itself capped
/// at <see cref="MaxLength"/> characters: no crafted input can hang it or overflow the stack.
/// </summary>
public sealed class Calculator(int maxLength = 200, int maxDepth = 32, decimal maxMagnitude = 1e15m, int decimals = 10) : ITool
{
    /// <summary>The longest expression accepted, in characters.</summary>
    public int MaxLength { get; } = maxLength;

    /// <summary>How deeply parentheses and unary signs may nest.</summary>
    public int MaxDepth { get; } = maxDepth;

    /// <summary>The largest absolute value of any number, in the input or along the way.</summary>
    public decimal MaxMagnitude { get; } = maxMagnitude;

    /// <summary>Decimal places a result is rounded to (1/3 prints 0.3333333333).</summary>
    public int Decimals { get; } = decimals is >= 0 and <= 20 ? decimals : throw new ArgumentOutOfRangeException(nameof(decimals), "0 to 20 places");

    public string Name => "calculator";

    public string Description => "calculator(expression): exact arithmetic with + - * / × ÷ and parentheses, e.g. calculator((13 - 4) / 3)";

    public ToolResult Run(string argument) =>
        TryEvaluate(argument, out var value, out var error) ? new ToolResult(Format(value)) : ToolResult.Error(error);

    /// <summary>The value of <paramref name="expression"/>; an <see cref="ArgumentException"/> says what is wrong with a bad one.</summary>
    public decimal Evaluate(string expression) =>
        TryEvaluate(expression, out var value, out var error) ? value : throw new ArgumentException(error, nameof(expression));

    /// <summary>Evaluate, or say in <paramref name="error"/> what was wrong ("division by zero", "not arithmetic: 'x'").</summary>
    public bool TryEvaluate(string expression, out decimal value, out string error)
    {
        value = 0;
        error = "";
        try
        {
            if (expression.Length > MaxLength) throw new CalculatorError($"expression too long (max {MaxLength} characters)");
            var parser = new Parser(expression, Lex(expression), this);
            value = parser.Sum(depth: 0);
            parser.ExpectEnd();
            return true;
        }
        catch (CalculatorError e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>A value as the model reads it: rounded, no trailing zeros, no thousands separators, "." for the point.</summary>
    public string Format(decimal value)
    {
        var rounded = Math.Round(value, Decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0) rounded = 0; // a tiny negative rounds to -0; print "0"
        return rounded.ToString(Decimals == 0 ? "0" : "0." + new string('#', Decimals), CultureInfo.InvariantCulture);
    }

    // ---- lexer: characters -> tokens, rejecting anything that is not arithmetic ------------------------

    enum Kind { Number, Plus, Minus, Times, Divide, Open, Close, End }

    /// <summary>A token points into the expression instead of copying its text: a million-token input allocates no strings.</summary>
    readonly record struct Token(Kind Kind, int Start, int Length, decimal Value = 0);

    List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '$' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')) { i++; continue; }
            if (char.IsAsciiDigit(c) || c == '.')
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
                tokens.Add(Number(text, start, i - start));
                continue;
            }
            Kind? kind = c switch
            {
                '+' => Kind.Plus,
                '-' or '−' => Kind.Minus,
                '*' or '×' => Kind.Times,
                '/' or '÷' => Kind.Divide,
                '(' => Kind.Open,
                ')' => Kind.Close,
                _ => null,
            };
            if (kind is { } k) { tokens.Add(new Token(k, i, 1)); i++; continue; }

            // Not arithmetic: name the whole word ("sqrt", "import") or the one symbol (";", "=").
            int end = i + 1;
            if (char.IsLetter(c) || c == '_')
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_')) end++;
            else if (char.IsHighSurrogate(c) && end < text.Length) end++;
            throw new CalculatorError($"not arithmetic: {ToolResult.Quote(text[i..end], 20)}");
        }
        tokens.Add(new Token(Kind.End, text.Length, 0));
        return tokens;
    }

    Token Number(string text, int start, int length)
    {
        var digits = text.AsSpan(start, length);
        if (digits.Count('.') > 1 || digits is ".") throw new CalculatorError($"bad number {ToolResult.Quote(digits.ToString(), 20)}");
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            throw new CalculatorError("number too large"); // more digits than a decimal holds
        return new Token(Kind.Number, start, length, Bounded(value));
    }

    decimal Bounded(decimal value) =>
        Math.Abs(value) <= MaxMagnitude ? value : throw new CalculatorError("number too large");

    // ---- parser: one method per grammar rule, evaluating as it goes ------------------------------------

    sealed class Parser(string source, List<Token> tokens, Calculator limits)
    {
        int position;

        /// <summary>A token as written, for error messages.</summary>
        string Text(Token token) => token.Kind == Kind.End ? "the end" : ToolResult.Cut(source.Substring(token.Start, token.Length), 20);

        Token Peek => tokens[position];

        Token Next() => tokens[position++];

        public decimal Sum(int depth)
        {
            var value = Product(depth);
            while (Peek.Kind is Kind.Plus or Kind.Minus)
            {
                var op = Next();
                var right = Product(depth);
                value = Apply(op, value, right);
            }
            return value;
        }

        decimal Product(int depth)
        {
            var value = Unary(depth);
            while (Peek.Kind is Kind.Times or Kind.Divide)
            {
                var op = Next();
                var right = Unary(depth);
                value = Apply(op, value, right);
            }
            return value;
        }

        decimal Unary(int depth)
        {
            if (Peek.Kind is not (Kind.Minus or Kind.Plus)) return Primary(depth);
            var sign = Next();
            var operand = Unary(Deeper(depth));
            return sign.Kind == Kind.Minus ? -operand : operand;
        }

        decimal Primary(int depth)
        {
            var token = Next();
            switch (token.Kind)
            {
                case Kind.Number:
                    return token.Value;
                case Kind.Open:
                    var value = Sum(Deeper(depth));
                    if (Peek.Kind != Kind.Close) throw new CalculatorError(Peek.Kind == Kind.End ? "missing ')'" : $"expected ')' before '{Text(Peek)}'");
                    Next();
                    return value;
                default:
                    if (position == 1 && token.Kind == Kind.End) throw new CalculatorError("empty expression");
                    var where = position == 1 ? "at the start" : $"after '{Text(tokens[position - 2])}'";
                    throw new CalculatorError(token.Kind == Kind.End ? $"expected a number {where}" : $"expected a number {where}, not '{Text(token)}'");
            }
        }

        public void ExpectEnd()
        {
            var token = Peek;
            if (token.Kind == Kind.End) return;
            throw new CalculatorError(token.Kind == Kind.Close ? "unexpected ')'" : $"missing operator before '{Text(token)}'");
        }

        int Deeper(int depth) =>
            depth < limits.MaxDepth ? depth + 1 : throw new CalculatorError($"too deeply nested (max {limits.MaxDepth} levels)");

        decimal Apply(Token op, decimal left, decimal right)
        {
            if (op.Kind == Kind.Divide && right == 0) throw new CalculatorError("division by zero");
            try
            {
                return limits.Bounded(op.Kind switch
                {
                    Kind.Plus => left + right,
                    Kind.Minus => left - right,
                    Kind.Times => left * right,
                    _ => left / right,
                });
            }
            catch (OverflowException)
            {
                throw new CalculatorError("number too large"); // beyond decimal itself, e.g. 1e15 × 1e15
            }
        }
    }

    /// <summary>A reason the expression has no value; caught in <see cref="TryEvaluate"/>, never seen outside.</summary>
    sealed class CalculatorError(string message) : Exception(message);
}
