namespace LeadScore.Storage.Records;

/// <summary>What a scoring model scores; the same as a model's <c>target</c>.</summary>
public enum RecordKind
{
    Contact,
    Company,
    Deal,
}
