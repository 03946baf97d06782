namespace LeadScore.Storage.Records;

/// <summary>Why a stored score changed; recorded on each history row with the id of what caused it.</summary>
public enum ScoreChangeCause
{
    Event,
    Publish,
    Decay,
    Adjustment,
    FieldChange,

    /// <summary>An automation changed the contact's fields (a tag, a stage, an owner).</summary>
    Automation,
}
