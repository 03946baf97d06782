namespace LeadScore.Storage.Records;

/// <summary>The orders a ranked lead list can come in; ties are broken by record id so pages never overlap.</summary>
public enum LeadSort
{
    ScoreDescending,
    ScoreAscending,
    RecentlyScored,
    RecordId,
}
