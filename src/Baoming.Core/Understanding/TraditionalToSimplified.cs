namespace Baoming.Core.Understanding;

/// <summary>
/// Traditional → Simplified, one character at a time, from OpenCC's tables (the pairs live in the
/// generated TraditionalToSimplified.g.cs; tools/opencc/ says how they were made and under which
/// licence). Character-level is enough for matching: both the member's words and the sessions'
/// titles and aliases go through it, so "報個名", "那場" and a Traditional alias meet their Simplified forms.
/// </summary>
internal static partial class TraditionalToSimplified
{
    // A flat table over the BMP: one array read per character, no hashing (messages are short, but every
    // session title and alias is normalized on each match).
    private static readonly char[] Table = Build();

    public static char Map(char c) => Table[c];

    private static char[] Build()
    {
        var table = new char[char.MaxValue + 1];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (char)i;
        }

        for (var i = 0; i + 1 < Pairs.Length; i += 2)
        {
            table[Pairs[i]] = Pairs[i + 1];
        }

        return table;
    }
}
