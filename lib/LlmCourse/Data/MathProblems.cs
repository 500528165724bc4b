using System.Globalization;

namespace LlmCourse.Data;

/// <summary>An arithmetic word problem with a worked solution and a checkable integer answer.</summary>
/// <param name="Question">"Emily buys 3 apples and 2 oranges. ... What is the cost of each apple?"</param>
/// <param name="Steps">The worked solution, step by step, as the seed's preferred answer writes it.</param>
/// <param name="Answer">The final number, for verifiable rewards later (part 6).</param>
public sealed record MathProblem(string Question, string Steps, int Answer)
{
    /// <summary>How a worksheet prints it: question, worked steps, answer line.</summary>
    public string ToWorksheetText() => $"{Question}\n{Steps} The answer is {Answer.ToString(CultureInfo.InvariantCulture)}.";
}

/// <summary>
/// Word problems in the style of the seed's "Emily buys 3 apples and 2 oranges" example, in a few
/// families (one-step and two-step), with the worked arithmetic written out. The crawl's worksheets
/// give the base model a prior on arithmetic; part 6 samples fresh problems from the same generator
/// for verifiable-reward RL.
/// </summary>
public static class MathProblems
{
    static readonly string[] Names = ["Emily", "Sam", "Priya", "Lucas", "Hana", "Omar", "Grace", "Mateo", "Zoe", "Ben", "Aisha", "Leo", "Nina", "Felix", "Maya", "Tom"];
    static readonly (string Many, string One)[] Fruit = [("apples", "apple"), ("pears", "pear"), ("peaches", "peach"), ("lemons", "lemon"), ("mangoes", "mango"), ("plums", "plum")];
    static readonly (string Many, string One)[] Other = [("oranges", "orange"), ("bananas", "banana"), ("kiwis", "kiwi"), ("melons", "melon"), ("limes", "lime")];
    static readonly string[] Things = ["marbles", "stickers", "stamps", "shells", "cards", "pencils", "buttons", "beads"];
    static readonly string[] Treats = ["cookies", "muffins", "sweets", "grapes", "crackers"];

    static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>One problem from a random family.</summary>
    public static MathProblem Next(Rng rng) => Family(rng.Next(Families), rng);

    public const int Families = 6;

    /// <summary>One problem of a given family (0 = the seed's fruit-cost problem, 1 add, 2 subtract, 3 multiply, 4 share, 5 change).</summary>
    public static MathProblem Family(int family, Rng rng) => family switch
    {
        0 => FruitCost(rng),
        1 => Add(rng),
        2 => Subtract(rng),
        3 => Multiply(rng),
        4 => Share(rng),
        _ => Change(rng),
    };

    /// <summary>The seed's family: total cost minus the known items, divided by the count.</summary>
    public static MathProblem FruitCost(Rng rng)
    {
        string who = rng.Pick(Names);
        var (fruit, single) = rng.Pick(Fruit);
        var (other, singleOther) = rng.Pick(Other);
        int a = rng.Between(2, 6), b = rng.Between(2, 5), p = rng.Between(1, 5), x = rng.Between(1, 6);
        int otherCost = b * p, total = a * x + otherCost;
        return new MathProblem(
            $"{who} buys {N(a)} {fruit} and {N(b)} {other}. Each {singleOther} costs ${N(p)}. The total cost is ${N(total)}. What is the cost of each {single}?",
            $"The {other} cost {N(b)} × ${N(p)} = ${N(otherCost)}. The total is ${N(total)}, so the {fruit} cost ${N(total)} - ${N(otherCost)} = ${N(total - otherCost)}. There are {N(a)} {fruit}, so each {single} costs ${N(total - otherCost)} ÷ {N(a)} = ${N(x)}.",
            x);
    }

    public static MathProblem Add(Rng rng)
    {
        string who = rng.Pick(Names), thing = rng.Pick(Things);
        int a = rng.Between(5, 80), b = rng.Between(3, 60);
        return new MathProblem(
            $"{who} has {N(a)} {thing} and gets {N(b)} more from a friend. How many {thing} does {who} have now?",
            $"We add the two amounts: {N(a)} + {N(b)} = {N(a + b)}.", a + b);
    }

    public static MathProblem Subtract(Rng rng)
    {
        string who = rng.Pick(Names), thing = rng.Pick(Things);
        int a = rng.Between(20, 99), b = rng.Between(2, a - 1);
        return new MathProblem(
            $"{who} had {N(a)} {thing} and gave away {N(b)} of them. How many {thing} are left?",
            $"We subtract what was given away: {N(a)} - {N(b)} = {N(a - b)}.", a - b);
    }

    public static MathProblem Multiply(Rng rng)
    {
        string who = rng.Pick(Names), thing = rng.Pick(Things);
        int boxes = rng.Between(2, 12), per = rng.Between(3, 15);
        return new MathProblem(
            $"{who} buys {N(boxes)} boxes of {thing}. Each box holds {N(per)} {thing}. How many {thing} does {who} buy in total?",
            $"Each box holds {N(per)}, and there are {N(boxes)} boxes, so {N(boxes)} × {N(per)} = {N(boxes * per)}.", boxes * per);
    }

    public static MathProblem Share(Rng rng)
    {
        string who = rng.Pick(Names), treat = rng.Pick(Treats);
        int kids = rng.Between(2, 8), each = rng.Between(2, 9);
        return new MathProblem(
            $"{who} shares {N(kids * each)} {treat} equally among {N(kids)} friends. How many {treat} does each friend get?",
            $"We divide the {treat} into {N(kids)} equal groups: {N(kids * each)} ÷ {N(kids)} = {N(each)}.", each);
    }

    public static MathProblem Change(Rng rng)
    {
        string who = rng.Pick(Names), thing = rng.Pick(Things);
        int n = rng.Between(2, 6), price = rng.Between(2, 9), cost = n * price;
        int note = cost <= 10 ? 10 : cost <= 20 ? 20 : 50;
        return new MathProblem(
            $"{who} buys {N(n)} packs of {thing} at ${N(price)} each and pays with a ${N(note)} note. How much change does {who} get?",
            $"The packs cost {N(n)} × ${N(price)} = ${N(cost)}. The change is ${N(note)} - ${N(cost)} = ${N(note - cost)}.", note - cost);
    }
}
