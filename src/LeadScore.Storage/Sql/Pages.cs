using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

/// <summary>What every keyset-paged list shares: the limit's check, the cursor's refusal, and the page made of one row too many.</summary>
internal static class Pages
{
    /// <summary>A page of the rows read with one more than the limit: that extra row only says there is a next page.</summary>
    public static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, string> cursorOf)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows, cursorOf(rows[^1]));
    }

    public static StoreError? InvalidLimit(int limit, int max) => limit is < 1 || limit > max
        ? new StoreError(StoreFailure.InvalidLimit, $"A page holds 1 to {max} items; {limit} were asked for.")
        : null;

    public static StoreError InvalidCursor(string list) => new(
        StoreFailure.InvalidCursor, $"The cursor is not one of this {list}: pass the nextCursor of the previous page unchanged (with the same sort), or none for the first page.");
}
