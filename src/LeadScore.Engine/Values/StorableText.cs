namespace LeadScore.Engine.Values;

/// <summary>
/// What text every id, name and value must be, whichever database holds it: valid Unicode (no lone
/// surrogate, which no encoder can write as UTF-8) and no NUL, which PostgreSQL's text type cannot
/// hold. SQLite would keep a NUL; it is refused there too so that both stores take the same input.
/// </summary>
public static class StorableText
{
    /// <summary>Why the text cannot be stored, as a phrase that follows its subject ("'x' holds ..."); null when it can.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        // Both searches are vectorised: ordinary text pays two scans and no per-character branch.
        var nul = text.IndexOf('\0');
        var surrogate = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (nul < 0 && surrogate < 0)
        {
            return null;
        }

        var lone = surrogate < 0 ? -1 : LoneSurrogate(text, surrogate);
        if (nul >= 0 && (lone < 0 || nul < lone))
        {
            return $"holds a NUL character (\\u0000) at position {nul + 1}, which cannot be stored; remove it";
        }

        return lone < 0
            ? null
            : $"holds a lone surrogate (\\u{(int)text[lone]:x4}) at position {lone + 1}, which is not valid Unicode; send the character itself, or both halves of its surrogate pair";
    }

    /// <summary>Whether the text can be stored (see <see cref="Problem"/>).</summary>
    public static bool IsStorable(ReadOnlySpan<char> text) => Problem(text) is null;

    private static int LoneSurrogate(ReadOnlySpan<char> text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
