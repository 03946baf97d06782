namespace LeadScore.Storage.Records;

/// <summary>A draft scores nothing; the one published version of a key scores every record of its target; a retired version did once.</summary>
public enum ModelStatus
{
    Draft,
    Published,
    Retired,
}
