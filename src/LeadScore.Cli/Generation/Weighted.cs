namespace LeadScore.Cli.Generation;

/// <summary>A fixed list of choices with their relative frequencies, drawn by a binary search on the running total.</summary>
internal sealed class Weighted<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public Weighted(params (T Item, double Weight)[] choices)
    {
        if (choices.Length == 0 || choices.Any(c => c.Weight <= 0))
        {
            throw new ArgumentException("Every choice needs a positive weight.", nameof(choices));
        }

        _items = [.. choices.Select(c => c.Item)];
        _cumulative = new double[choices.Length];
        var total = 0.0;
        for (var i = 0; i < choices.Length; i++)
        {
            total += choices[i].Weight;
            _cumulative[i] = total;
        }
    }

    public IReadOnlyList<T> Items => _items;

    public T Pick(ref SeededRandom random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return _items[Math.Min(index, _items.Length - 1)];
    }
}
