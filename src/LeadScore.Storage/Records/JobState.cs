namespace LeadScore.Storage.Records;

public enum JobState
{
    Pending,
    Running,
    Completed,
    Cancelled,
}
