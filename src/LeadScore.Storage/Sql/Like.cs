namespace LeadScore.Storage.Sql;

/// <summary>LIKE patterns made from what a user typed: its %, _ and backslash match themselves (every LIKE that takes one says ESCAPE '\\').</summary>
internal static class Like
{
    public static string Escape(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
