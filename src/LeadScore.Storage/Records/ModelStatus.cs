namespace LeadScore.Storage.Records;

/// <summary>
/// A draft scores nothing; the one published version of a key scores every record of its target; a
/// retired version did once; an archived key's versions are kept for reference and score nothing.
/// </summary>
public enum ModelStatus
{
    Draft,
    Published,
    Retired,
    Archived,
}
