using LeadScore.Prediction.Schema;

namespace LeadScore.Prediction.Features;

/// <summary>
/// Turns a row's cells into the fixed-length vector the trainers read: numbers and booleans as they
/// are (imputed when missing, with a missing indicator when the training file had gaps), dates as days
/// since 1970 and month, categoricals one-hot over the kept levels plus "other" and "missing".
/// </summary>
public sealed class FeatureEncoder
{
    private readonly ColumnSchema[] _features;
    private readonly int[] _offsets;
    private readonly Dictionary<string, int>[] _levelSlots;

    public FeatureEncoder(IEnumerable<ColumnSchema> columns)
    {
        _features = columns.Where(c => c.Role == ColumnRole.Feature).ToArray();
        _offsets = new int[_features.Length];
        _levelSlots = new Dictionary<string, int>[_features.Length];
        var names = new List<string>();
        var owners = new List<int>();
        for (var f = 0; f < _features.Length; f++)
        {
            var column = _features[f];
            _offsets[f] = names.Count;
            _levelSlots[f] = new Dictionary<string, int>(StringComparer.Ordinal);
            switch (column.Kind)
            {
                case ColumnKind.Date:
                    names.Add($"{column.Name} (days)");
                    names.Add($"{column.Name} (month)");
                    break;
                case ColumnKind.Categorical:
                    foreach (var level in column.Levels.Append(TypeInference.OtherLevel).Append(TypeInference.MissingLevel))
                    {
                        _levelSlots[f][level] = names.Count - _offsets[f];
                        names.Add($"{column.Name} = {level}");
                    }

                    break;
                default:
                    names.Add(column.Name);
                    break;
            }

            if (column.Kind != ColumnKind.Categorical && column.HasMissing)
            {
                names.Add($"{column.Name} (missing)");
            }

            while (owners.Count < names.Count)
            {
                owners.Add(f);
            }
        }

        FeatureNames = names;
        SlotColumns = owners.Select(o => _features[o].Name).ToArray();
    }

    /// <summary>The feature columns, in the order their slots appear.</summary>
    public IReadOnlyList<ColumnSchema> Columns => _features;

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>For each slot, the source column it comes from (a factor is named by its column).</summary>
    public IReadOnlyList<string> SlotColumns { get; }

    public int Length => FeatureNames.Count;

    /// <summary>Encodes one row; <paramref name="cellOf"/> gives the cell of feature column <c>i</c> (null when missing or absent).</summary>
    public float[] Encode(Func<int, string?> cellOf)
    {
        var vector = new float[Length];
        for (var f = 0; f < _features.Length; f++)
        {
            var column = _features[f];
            var at = _offsets[f];
            var cell = cellOf(f);
            var missing = false;
            switch (column.Kind)
            {
                case ColumnKind.Numeric:
                    missing = cell is null || !CellValues.TryNumber(cell, out _);
                    vector[at] = (float)(missing ? column.Imputation : Number(cell!));
                    break;
                case ColumnKind.Boolean:
                    missing = cell is null || !CellValues.TryBoolean(cell, out _);
                    vector[at] = (float)(missing ? column.Imputation : Bool(cell!));
                    break;
                case ColumnKind.Date:
                    missing = cell is null || !CellValues.TryDate(cell, out _, out _);
                    CellValues.TryDate(cell ?? string.Empty, out var days, out var month);
                    vector[at] = (float)(missing ? column.Imputation : days);
                    vector[at + 1] = missing ? 0 : month;
                    break;
                case ColumnKind.Categorical:
                    var level = cell is null ? TypeInference.MissingLevel
                        : _levelSlots[f].ContainsKey(cell) ? cell : TypeInference.OtherLevel;
                    vector[at + _levelSlots[f][level]] = 1;
                    break;
            }

            if (column.Kind != ColumnKind.Categorical && column.HasMissing && missing)
            {
                vector[at + (column.Kind == ColumnKind.Date ? 2 : 1)] = 1;
            }
        }

        return vector;
    }

    private static double Number(string cell)
    {
        CellValues.TryNumber(cell, out var value);
        return value;
    }

    private static double Bool(string cell)
    {
        CellValues.TryBoolean(cell, out var value);
        return value ? 1 : 0;
    }
}
