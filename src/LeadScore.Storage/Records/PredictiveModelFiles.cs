namespace LeadScore.Storage.Records;

/// <summary>A saved predictive model version with its model zips, to load and predict with.</summary>
public sealed record PredictiveModelFiles(
    PredictiveModelInfo Info,
    ReadOnlyMemory<byte> ConversionModel,
    ReadOnlyMemory<byte>? AmountModel,
    ReadOnlyMemory<byte>? DaysModel);
