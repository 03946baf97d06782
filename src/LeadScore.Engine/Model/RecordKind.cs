namespace LeadScore.Engine.Model;

/// <summary>
/// The kinds of record LeadScore keeps and scores: what a model's <c>target</c> names, and what the
/// store keeps rows of. One type for both, so a model's target and a stored record never need mapping.
/// </summary>
public enum RecordKind
{
    Contact,
    Company,
    Deal,
}
