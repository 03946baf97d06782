namespace LeadScore.Storage.Records;

/// <summary>
/// A predictive model to save as the next version: the conversion model's zip, and the deal models'
/// zips (won amount, days to close) when there were enough won deals to train them.
/// </summary>
public sealed record PredictiveModelInput(
    DateTimeOffset TrainedAt,
    int Conversions,
    string Report,
    ReadOnlyMemory<byte> ConversionModel,
    ReadOnlyMemory<byte>? AmountModel,
    ReadOnlyMemory<byte>? DaysModel);
