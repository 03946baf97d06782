using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScore.Prediction.Training;

/// <summary>Builds ML.NET data views of encoded rows, with the feature vector's length fixed in the schema as trainers require.</summary>
internal static class FeatureData
{
    public static IDataView Load(MLContext ml, IEnumerable<FeatureRow> rows, int length)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(rows, definition);
    }
}
