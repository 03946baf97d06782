namespace LeadScore.Storage.Records;

public enum OutcomeKind
{
    Converted,
    Won,
    Lost,
}
