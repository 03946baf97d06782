namespace LeadScore.Prediction.Schema;

/// <summary>
/// One column of the training file as the model sees it. <see cref="Imputation"/> replaces a missing
/// numeric, boolean or date value (days since 1970); <see cref="Levels"/> are the categorical levels kept.
/// </summary>
public sealed record ColumnSchema(
    string Name,
    ColumnKind Kind,
    ColumnRole Role,
    bool HasMissing,
    double Imputation,
    IReadOnlyList<string> Levels);
