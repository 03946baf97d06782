namespace LeadScore.Storage.Records;

/// <summary>The orders a ranked lead list can come in; ties are broken by record id so pages never overlap.</summary>
public enum LeadSort
{
    ScoreDescending,
    ScoreAscending,
    RecentlyScored,
    RecordId,

    /// <summary>Highest predicted probability to convert first; contacts without a prediction last.</summary>
    ProbabilityDescending,

    /// <summary>Highest expected value (probability x expected amount) first; contacts without one last.</summary>
    ExpectedValueDescending,
}
