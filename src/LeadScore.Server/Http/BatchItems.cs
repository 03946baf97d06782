using System.Collections.Immutable;
using System.Text.Json;
using LeadScore.Storage.Records;
using LeadScore.Storage.Rows;

namespace LeadScore.Server.Http;

/// <summary>
/// The items of a JSON array body read into the store's inputs the way an import reads file lines.
/// Items that cannot be read are rejected with their position and reason; the rest go to the store,
/// whose own rejections are mapped back to positions in the request.
/// </summary>
internal sealed class BatchItems<T>
    where T : class
{
    public const int MaxItems = 10_000;

    private readonly List<int> _positions = [];

    private BatchItems()
    {
    }

    public List<T> Items { get; } = [];

    public List<Rejection> Rejected { get; } = [];

    /// <summary>Reads an array body; a body that is not an array, or has too many items, is refused whole.</summary>
    public static (BatchItems<T>? Batch, IResult? Problem) Read(
        JsonElement body, string noun, Func<SourceRow, RowReading<T>> read, Func<T, string>? idOf)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            return (null, Problems.BadRequest($"The body must be a JSON array of {noun} objects, shaped like the lines of 'leadscore import'.", "wrong-shape"));
        }

        var count = body.GetArrayLength();
        if (count > MaxItems)
        {
            return (null, Problems.TooLarge($"The batch has {count:N0} items; the limit is {MaxItems:N0}. Split it into several requests."));
        }

        var batch = new BatchItems<T>();
        var seen = idOf is null ? null : new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in body.EnumerateArray())
        {
            batch.Add(index++, element, read, idOf, seen);
        }

        return (batch, null);
    }

    /// <summary>Reads one object body (a single event or record) as a batch of one.</summary>
    public static BatchItems<T> ReadOne(SourceRow row, Func<SourceRow, RowReading<T>> read)
    {
        var batch = new BatchItems<T>();
        batch.Add(0, row, read, null, null);
        return batch;
    }

    /// <summary>The position in the request of <see cref="Items"/>[<paramref name="item"/>].</summary>
    public int PositionOf(int item) => _positions[item];

    /// <summary>The store's rejections (positions in <see cref="Items"/>) followed by this reader's, in request positions, in order.</summary>
    public ImmutableArray<Rejection> AllRejections(IEnumerable<Rejection> fromStore) =>
        [.. Rejected.Concat(fromStore.Select(r => r with { Index = _positions[r.Index] })).OrderBy(r => r.Index)];

    private void Add(int index, JsonElement element, Func<SourceRow, RowReading<T>> read, Func<T, string>? idOf, Dictionary<string, int>? seen) =>
        Add(index, JsonRow.Read(element, index + 1, $"$[{index}]"), read, idOf, seen);

    private void Add(int index, SourceRow row, Func<SourceRow, RowReading<T>> read, Func<T, string>? idOf, Dictionary<string, int>? seen)
    {
        var id = row.Find("id") is { Value.IsMissing: false } cell ? cell.Value.Text : null;
        if (row.Error is not null)
        {
            Rejected.Add(new Rejection(index, id, row.Error, row.ErrorPath));
            return;
        }

        var reading = read(row);
        if (reading.Item is not { } item)
        {
            Rejected.Add(new Rejection(index, id, reading.Problem!));
            return;
        }

        if (seen is not null && idOf is not null)
        {
            if (seen.TryGetValue(idOf(item), out var first))
            {
                Rejected.Add(new Rejection(index, id, $"the id appears twice in the batch (first at item {first}); send one object per id"));
                return;
            }

            seen[idOf(item)] = index;
        }

        _positions.Add(index);
        Items.Add(item);
    }
}
