namespace LeadScore.Prediction.Schema;

/// <summary>What a column's values are, as inferred from the training file.</summary>
public enum ColumnKind
{
    Numeric,
    Boolean,
    Date,
    Categorical,

    /// <summary>Text with too many distinct values to one-hot (names, emails, ids): not a feature.</summary>
    HighCardinalityText,

    /// <summary>No value in any row: not a feature.</summary>
    Empty,
}
