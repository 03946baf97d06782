using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScore.Prediction.Training;

/// <summary>Builds ML.NET data views of encoded rows, with the feature vector's length fixed in the schema as trainers require.</summary>
internal static class FeatureData
{
    public static IDataView Load<TRow>(MLContext ml, IEnumerable<TRow> rows, int length)
        where TRow : class
    {
        var definition = SchemaDefinition.Create(typeof(TRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    /// <summary>The encoded labelled rows of one training, from which each split loads its subsets.</summary>
    public sealed class Rows(FeatureRow[] rows, int length)
    {
        public int Count => rows.Length;

        public IReadOnlyList<bool> Labels { get; } = rows.Select(r => r.Label).ToArray();

        public IDataView Load(MLContext ml, int[] subset) => FeatureData.Load(ml, subset.Select(i => rows[i]).ToArray(), length);

        public IDataView LoadAll(MLContext ml) => FeatureData.Load(ml, rows, length);
    }
}
