using System.Buffers.Text;
using System.Text.Json;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Sql;

/// <summary>
/// The opaque cursor of a page: the sort key of the last row it returned, as base64url of a JSON
/// array of strings. Opaque to callers so its content may change; keyset, so a page never repeats or
/// skips a row because rows were added before it.
/// </summary>
internal static class PageCursor
{
    public static string Encode(params string[] parts) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(parts));

    /// <summary>The parts of a cursor, or null when it is not one this store made.</summary>
    public static string[]? Decode(string cursor)
    {
        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(Base64Url.DecodeFromChars(cursor));
            // A cursor is made by this store, but sent back by anyone: a part with a NUL would reach PostgreSQL as a parameter it cannot take.
            return parts is null || parts.Any(p => p is null || !StorableText.IsStorable(p)) ? null : parts;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
