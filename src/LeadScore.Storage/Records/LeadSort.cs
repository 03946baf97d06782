namespace LeadScore.Storage.Records;

/// <summary>The orders a ranked lead list can come in; ties are broken by record id so pages never overlap.</summary>
public enum LeadSort
{
    /// <summary>
    /// Whom to call first: qualified leads (every requirement met) before the rest, then by points
    /// (the 1 to 100 part of the score, whatever the segment), then by predicted probability.
    /// </summary>
    Priority,

    ScoreDescending,
    ScoreAscending,
    RecentlyScored,
    RecordId,

    /// <summary>Highest predicted probability to convert first; contacts without a prediction last.</summary>
    ProbabilityDescending,

    /// <summary>Highest expected value (probability x expected amount) first; contacts without one last.</summary>
    ExpectedValueDescending,
}
