using System.Text;
using CsCheck;
using LlmCourse.Tokenization;

namespace LlmCourse.Tests.Tokenization;

public class RoundTripTests
{
    /// <summary>Text made of pieces a tokenizer finds hard: emoji (surrogate pairs, ZWJ, skin tones, flags), combining marks, CJK, odd whitespace.</summary>
    static readonly Gen<string> HardText =
        Gen.Frequency(
            (4, Gen.Char['a', 'z'].Select(c => c.ToString())),
            (2, Gen.OneOf(Gen.Const(" "), Gen.Const("  "), Gen.Const("\n"), Gen.Const("\r\n"), Gen.Const("\t"), Gen.Const("\u00A0"), Gen.Const("\u3000"))),
            (2, Gen.Int[0x1F300, 0x1FAFF].Select(char.ConvertFromUtf32)),                 // emoji: surrogate pairs
            (1, Gen.OneOf(Gen.Const("👨‍👩‍👧"), Gen.Const("👋🏽"), Gen.Const("🇫🇷"), Gen.Const("❤️"))),
            (2, Gen.Int[0x0300, 0x036F].Select(c => "e" + (char)c)),                     // combining marks
            (1, Gen.Int[0x0300, 0x036F].Select(c => ((char)c).ToString())),              // a mark with nothing to combine with
            (2, Gen.Int[0x00A0, 0x024F].Select(c => ((char)c).ToString())),              // accented Latin
            (2, Gen.Int[0x4E00, 0x9FFF].Select(c => ((char)c).ToString())),              // CJK
            (1, Gen.Int[0x0400, 0x04FF].Select(c => ((char)c).ToString())),              // Cyrillic
            (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)),               // anything astral
            (2, Gen.Char['0', '9'].Select(c => c.ToString())),
            (2, Gen.OneOf(Gen.Const("'s"), Gen.Const("'LL"), Gen.Const("."), Gen.Const("<|endoftext|>"), Gen.Const("\\"), Gen.Const("\0"))))
        .Array[0, 40].Select(parts => string.Concat(parts));

    public static TheoryData<string> Tokenizers => ["course BPE", "UTF-8 bytes", "basic BPE", "cl100k_base", "o200k_base"];

    static ITokenizer Get(string name) => name switch
    {
        "course BPE" => TestTokenizers.Trained,
        "UTF-8 bytes" => BpeTokenizer.Bytes,
        "basic BPE" => BpeTokenizer.Train(TestTokenizers.TrainingText[..20_000], 400, SplitPatterns.None),
        "cl100k_base" => TiktokenEncoding.Cl100kBase,
        _ => TiktokenEncoding.O200kBase,
    };

    [Theory, MemberData(nameof(Tokenizers))]
    public void Decode_of_encode_gives_back_any_unicode_text(string name)
    {
        var tokenizer = Get(name);
        Assert.Equal("", tokenizer.Decode(tokenizer.Encode("")));
        Assert.Empty(tokenizer.Encode(""));
        HardText.Sample(text =>
        {
            var ids = tokenizer.Encode(text);
            Assert.Equal(text, tokenizer.Decode(ids));
            // The ids' bytes are exactly the text's UTF-8 bytes.
            Assert.Equal(Encoding.UTF8.GetBytes(text), ids.SelectMany(tokenizer.TokenBytes).ToArray());
        }, iter: 500);
    }

    [Theory, MemberData(nameof(Tokenizers))]
    public void Decoding_ids_that_end_inside_a_character_gives_replacement_characters(string name)
    {
        var tokenizer = Get(name);
        // Find a character this tokenizer splits over several tokens, and stop after the first part.
        foreach (var character in new[] { "🙂", "𝔘", "ꙮ", "🦜", "𓀀" })
        {
            var ids = tokenizer.Encode("ok " + character);
            int bytes = 0;
            for (int k = 0; k < ids.Count; k++)
            {
                bytes += tokenizer.TokenBytes(ids[k]).Length;
                if (bytes > 3 && bytes < 3 + System.Text.Encoding.UTF8.GetByteCount(character))
                {
                    var text = tokenizer.Decode(ids.Take(k + 1));
                    Assert.StartsWith("ok ", text);
                    Assert.EndsWith("\uFFFD", text);
                    return;
                }
            }
        }
        Assert.Fail("no test character was split across tokens");
    }

    [Fact]
    public void An_id_outside_the_vocabulary_is_an_error_naming_it()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TestTokenizers.Trained.Decode([5000]));
        Assert.Contains("5000", e.Message);
    }
}
