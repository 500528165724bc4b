namespace LlmCourse.Tokenization;

/// <summary>
/// Short texts of different kinds for comparing tokenizers: the same paragraph in several languages,
/// plus code and numbers. Tokenizers trained mostly on English spend more tokens on everything else.
/// </summary>
public static class SampleTexts
{
    public const string English =
        "The capital of France is Paris. It sits on the river Seine, and about two million people live in the city itself. " +
        "Every year, millions of visitors come to see its museums, its old bridges and the tower built for the world fair of 1889.";

    public const string French =
        "La capitale de la France est Paris. Elle se trouve sur la Seine, et environ deux millions de personnes vivent dans la ville même. " +
        "Chaque année, des millions de visiteurs viennent voir ses musées, ses vieux ponts et la tour construite pour l'exposition universelle de 1889.";

    public const string German =
        "Die Hauptstadt Frankreichs ist Paris. Sie liegt an der Seine, und etwa zwei Millionen Menschen leben in der Stadt selbst. " +
        "Jedes Jahr kommen Millionen von Besuchern, um ihre Museen, ihre alten Brücken und den für die Weltausstellung von 1889 gebauten Turm zu sehen.";

    public const string Spanish =
        "La capital de Francia es París. Está a orillas del Sena, y unos dos millones de personas viven en la propia ciudad. " +
        "Cada año, millones de visitantes vienen a ver sus museos, sus viejos puentes y la torre construida para la exposición universal de 1889.";

    public const string Russian =
        "Столица Франции — Париж. Он стоит на реке Сене, и в самом городе живут около двух миллионов человек. " +
        "Каждый год миллионы посетителей приезжают посмотреть на его музеи, старые мосты и башню, построенную для всемирной выставки 1889 года.";

    public const string Chinese =
        "法国的首都是巴黎。它位于塞纳河畔，市区大约有两百万人居住。每年都有数百万游客来参观它的博物馆、古老的桥梁，以及为1889年世界博览会建造的铁塔。";

    public const string Code =
        "public static int CountLetters(string word, char letter)\n{\n    int count = 0;\n    foreach (var c in word)\n        if (c == letter) count++;\n    return count;\n}\n\n" +
        "var result = CountLetters(\"strawberry\", 'r'); // 3\nConsole.WriteLine($\"There are {result} r's.\");\n";

    public const string Numbers =
        "9.11 vs 9.9: which is bigger? 3.14159 26535 89793; 1,234,567.89 + 42 = 1,234,609.89; " +
        "2024-03-15 08:45:00; +33 1 42 68 53 00; 0x7FFF_FFFF; 255.255.255.0; 12345678901234567890.";

    /// <summary>The texts by kind, in the order charts show them; all write words between spaces, so "tokens per word" means something.</summary>
    public static IReadOnlyDictionary<string, string> ByKind { get; } = new Dictionary<string, string>
    {
        ["English"] = English, ["French"] = French, ["German"] = German, ["Spanish"] = Spanish,
        ["Russian"] = Russian, ["code"] = Code, ["numbers"] = Numbers,
    };

    /// <summary>The same paragraph in six languages: counting each tokenizer's tokens for it compares languages fairly.</summary>
    public static IReadOnlyDictionary<string, string> Translations { get; } = new Dictionary<string, string>
    {
        ["English"] = English, ["French"] = French, ["German"] = German, ["Spanish"] = Spanish, ["Russian"] = Russian, ["Chinese"] = Chinese,
    };

    /// <summary><see cref="ByKind"/> plus Chinese (no spaces between words: compare it by bytes per token).</summary>
    public static IReadOnlyDictionary<string, string> AllKinds { get; } =
        ByKind.Append(new("Chinese", Chinese)).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Everything above plus emoji, accents and mixed scripts, as one multilingual text.</summary>
    public static string Multilingual { get; } = string.Join("\n\n", AllKinds.Values) +
        "\n\nEmoji: 👋🏽 hello 🇫🇷 👨‍👩‍👧 ❤️! Accents: crème brûlée, naïve, Åsa, Øresund, ß, İstanbul. 日本語のテキスト、한국어 텍스트. " +
        "Whitespace:\ttab,  two spaces,\r\nCRLF,   \n\n\n three newlines. Contractions: I'm, you'RE, they'll, it's, we'd, DON'T.";
}
