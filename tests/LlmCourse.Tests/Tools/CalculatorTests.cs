using CsCheck;
using LlmCourse.Tools;

namespace LlmCourse.Tests.Tools;

public class CalculatorTests
{
    static readonly Calculator Calculator = new();

    [Theory]
    [InlineData("9 ÷ 3", "3")]
    [InlineData("10 / 4", "2.5")]
    [InlineData("(13 - 4) / 3", "3")]
    [InlineData("1/3", "0.3333333333")]
    [InlineData("2/3", "0.6666666667")]
    [InlineData("1/3*3", "1")]                      // decimal's 0.999… rounds back to 1
    [InlineData("0.1 + 0.2", "0.3")]                // exact, unlike double
    [InlineData("1.50 + 1", "2.5")]
    [InlineData(".5 + .5", "1")]
    [InlineData("4 × 2.5", "10")]
    [InlineData("$12 - $5", "7")]                   // prices as the word problems write them
    [InlineData("3 − 1", "2")]                      // Unicode minus
    [InlineData("  7  ", "7")]
    [InlineData("1000000 * 1000000", "1000000000000")]
    [InlineData("-0.00000000001", "0")]             // rounds to zero, printed without a sign
    public void ComputesExactlyAndPrintsInvariantly(string expression, string expected) =>
        Assert.Equal(new ToolResult(expected), Calculator.Run(expression));

    [Theory]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("8 / 4 / 2", "1")]                  // left to right
    [InlineData("10 - 4 - 3", "3")]
    [InlineData("2 * -3", "-6")]
    [InlineData("2 - -3", "5")]
    [InlineData("-(2 + 3) × 4", "-20")]
    [InlineData("-2 * -2", "4")]
    [InlineData("+5", "5")]
    [InlineData("12 ÷ 4 × 3", "9")]
    public void FollowsPrecedenceAndAssociativity(string expression, string expected) =>
        Assert.Equal(expected, Calculator.Run(expression).Text);

    [Theory]
    [InlineData("1/0", "error: division by zero")]
    [InlineData("1 / (2 - 2)", "error: division by zero")]
    [InlineData("x", "error: not arithmetic: 'x'")]
    [InlineData("3 x 4", "error: not arithmetic: 'x'")]
    [InlineData("sqrt(2)", "error: not arithmetic: 'sqrt'")]
    [InlineData("2; rm -rf /", "error: not arithmetic: ';'")]
    [InlineData("import os", "error: not arithmetic: 'import'")]
    [InlineData("System.IO.File.Delete(\"a\")", "error: not arithmetic: 'System'")]
    [InlineData("2 ^ 3", "error: not arithmetic: '^'")]
    [InlineData("3 + 4 =", "error: not arithmetic: '='")]
    [InlineData("1e5", "error: not arithmetic: 'e5'")]
    [InlineData("1,000 + 1", "error: not arithmetic: ','")]
    [InlineData("2 ** 3", "error: expected a number after '*', not '*'")]
    [InlineData("1 +", "error: expected a number after '+'")]
    [InlineData("* 2", "error: expected a number at the start, not '*'")]
    [InlineData("()", "error: expected a number after '(', not ')'")]
    [InlineData("", "error: empty expression")]
    [InlineData("   ", "error: empty expression")]
    [InlineData("(1 + 2", "error: missing ')'")]
    [InlineData("1 + 2)", "error: unexpected ')'")]
    [InlineData("2(3)", "error: missing operator before '('")]
    [InlineData("2 3", "error: missing operator before '3'")]
    [InlineData("1.2.3", "error: bad number '1.2.3'")]
    [InlineData(".", "error: bad number '.'")]
    [InlineData("$", "error: not arithmetic: '$'")]
    [InlineData("99999999 * 99999999 * 99999999", "error: number too large")]
    [InlineData("10000000000000000", "error: number too large")]                    // 1e16, over the 1e15 limit
    [InlineData("123456789012345678901234567890123", "error: number too large")]    // more than a decimal holds
    [InlineData("1000000000000000 * 1000000000000000", "error: number too large")]  // beyond decimal itself
    [InlineData("1 / 0.0000000000000000000000000001", "error: number too large")]
    public void BadExpressionsGetAShortError(string expression, string expected)
    {
        var result = Calculator.Run(expression);
        Assert.Equal(expected, result.Text);
        Assert.True(result.IsError);
    }

    [Fact]
    public void EvaluateReturnsTheValueOrThrowsWithTheReason()
    {
        Assert.Equal(2.5m, Calculator.Evaluate("10 / 4"));
        var e = Assert.Throws<ArgumentException>(() => Calculator.Evaluate("1/0"));
        Assert.StartsWith("division by zero", e.Message);
    }

    [Fact]
    public void NestingIsCappedAtMaxDepth()
    {
        string Nested(int depth) => new string('(', depth) + "1" + new string(')', depth);
        Assert.Equal("1", Calculator.Run(Nested(Calculator.MaxDepth)).Text);
        Assert.Equal("error: too deeply nested (max 32 levels)", Calculator.Run(Nested(Calculator.MaxDepth + 1)).Text);
        Assert.Equal("error: too deeply nested (max 32 levels)", Calculator.Run(new string('-', 40) + "1").Text);
    }

    [Fact]
    public void InputLongerThanTheLimitIsRejected() =>
        Assert.Equal("error: expression too long (max 200 characters)", Calculator.Run(string.Concat(Enumerable.Repeat("1+", 500_000)) + "1").Text);

    [Fact]
    public void ParsingIsLinearAndCannotOverflowTheStackEvenWithoutALengthLimit()
    {
        // With the length limit lifted, a million-term sum and a million-deep nest still finish at once:
        // each token is read once, and recursion stops at MaxDepth whatever the input. (A quadratic parser
        // would need hours for these; CPU time, not wall time, so a busy machine does not fail the test.)
        var unlimited = new Calculator(maxLength: int.MaxValue);
        var sum = string.Concat(Enumerable.Repeat("1+", 1_000_000)) + "1";
        var nest = new string('(', 1_000_000) + "1" + new string(')', 1_000_000);
        var signs = new string('-', 1_000_000) + "1";
        var cpu = CpuTime.Measure(() =>
        {
            Assert.Equal("1000001", unlimited.Run(sum).Text);
            Assert.Equal("error: too deeply nested (max 32 levels)", unlimited.Run(nest).Text);
            Assert.Equal("error: too deeply nested (max 32 levels)", unlimited.Run(signs).Text);
        });
        Assert.True(cpu < TimeSpan.FromSeconds(5), $"{cpu.TotalMilliseconds:N0} ms of CPU");
    }

    [Theory]
    [InlineData("2 0.000000000000000000000000000000000000001", "error: missing operator before '0.00000000000000000…'")]
    [InlineData("(1 0.000000000000000000000000000000000000001)", "error: expected ')' before '0.00000000000000000…'")]
    public void ALongNumberIsQuotedShort(string expression, string expected) =>
        Assert.Equal(expected, Calculator.Run(expression).Text);

    [Fact]
    public void LimitsAreParameters()
    {
        var small = new Calculator(maxLength: 5, maxDepth: 1, maxMagnitude: 100, decimals: 2);
        Assert.Equal("6", small.Run("1+2+3").Text);
        Assert.Equal("error: expression too long (max 5 characters)", small.Run("1+2+34").Text);
        Assert.Equal("error: too deeply nested (max 1 levels)", small.Run("((1))").Text);
        Assert.Equal("error: number too large", small.Run("11*10").Text);
        Assert.Equal("0.33", small.Run("1/3").Text);
    }

    // ---- properties ---------------------------------------------------------------------------------

    /// <summary>An expression tree, printed with only the parentheses precedence needs, and its value.</summary>
    abstract record Node
    {
        /// <summary>The exact value, computed directly on the tree; an <see cref="OverflowException"/> past decimal's range.</summary>
        public abstract decimal Value { get; }
        public abstract int Precedence { get; }
    }

    sealed record Literal(int N) : Node
    {
        public override decimal Value => N;
        public override int Precedence => 3;
        public override string ToString() => N.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    sealed record Negate(Node Operand) : Node
    {
        public override decimal Value => -Operand.Value;
        public override int Precedence => 2;
        public override string ToString() => "-" + (Operand.Precedence < 2 ? $"({Operand})" : Operand.ToString());
    }

    sealed record Binary(char Op, Node Left, Node Right) : Node
    {
        public override decimal Value => Op switch
        {
            '+' => Left.Value + Right.Value,
            '-' => Left.Value - Right.Value,
            '×' or '*' => Left.Value * Right.Value,
            _ => Left.Value / Right.Value,
        };
        public override int Precedence => Op is '+' or '-' ? 0 : 1;
        // The right operand needs parentheses at equal precedence too: 8 - (4 - 2) is not 8 - 4 - 2.
        public override string ToString() =>
            $"{(Left.Precedence < Precedence ? $"({Left})" : Left)} {Op} {(Right.Precedence <= Precedence ? $"({Right})" : Right)}";
    }

    static readonly Gen<Node> Trees = Gen.Recursive<Node>((depth, tree) => depth >= 4
        ? Gen.Int[0, 99].Select(n => (Node)new Literal(n))
        : Gen.Frequency(
            (3, Gen.Int[0, 99].Select(n => (Node)new Literal(n))),
            (1, tree.Select(t => (Node)new Negate(t))),
            (4, Gen.Select(Gen.OneOf(Gen.Const('+'), Gen.Const('-'), Gen.Const('*'), Gen.Const('×')), tree, tree, (op, l, r) => (Node)new Binary(op, l, r))),
            // Division only by a non-zero literal, so the reference never divides by zero.
            (1, Gen.Select(Gen.OneOf(Gen.Const('/'), Gen.Const('÷')), tree, Gen.Int[1, 99], (op, l, r) => (Node)new Binary(op, l, new Literal(r))))));

    /// <summary>Whether every value along the way stays within the calculator's magnitude limit.</summary>
    static bool InRange(Node node)
    {
        try
        {
            return Math.Abs(node.Value) <= Calculator.MaxMagnitude && node switch
            {
                Negate n => InRange(n.Operand),
                Binary b => InRange(b.Left) && InRange(b.Right),
                _ => true,
            };
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [Fact]
    public void AgreesWithDirectEvaluationOfRandomExpressionTrees() =>
        Trees.Sample(tree =>
        {
            var printed = tree.ToString();
            var result = Calculator.Run(printed);
            if (InRange(tree)) Assert.Equal(Calculator.Format(tree.Value), result.Text);
            else Assert.Equal("error: number too large", result.Text);
        }, iter: 2_000);

    static readonly Gen<string> ArithmeticLookingText =
        Gen.OneOf(Gen.Char["0123456789.+-*/×÷() $x−,=e"], Gen.Char).Array[0, 60].Select(cs => new string(cs));

    [Fact]
    public void AnyInputGetsAOneLineAnswerAndNeverAnException()
    {
        void Check(string text)
        {
            var result = Calculator.Run(text);
            Assert.DoesNotContain('\n', result.Text);
            Assert.True(result.Text.Length <= ToolResult.DefaultMaxLength, result.Text);
            if (result.IsError) Assert.StartsWith("error: ", result.Text);
        }
        ArithmeticLookingText.Sample(Check, iter: 5_000);
        Gen.String.Sample(Check, iter: 2_000);
    }
}
