namespace LeadScore.Storage.Records;

/// <summary>
/// A long-running job (the bulk re-score after a model is published) with its progress. A job that
/// was interrupted resumes from where it stopped.
/// </summary>
public sealed record JobStatus(long Id, string Kind, string ModelKey, int ModelVersion, JobState State, long Done, long Total)
{
    public double Fraction => Total == 0 ? 1 : (double)Done / Total;
}
