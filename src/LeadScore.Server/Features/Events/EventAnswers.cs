namespace LeadScore.Server.Features.Events;

/// <summary>
/// Something about a stored event its sender may want to fix: the item's position in the request
/// (0 for a single event), its id, a stable code, what is wrong, and the type it most likely meant.
/// </summary>
internal sealed record EventWarning(int Index, string Id, string Code, string Message, string? DidYouMean);

/// <summary>
/// The contact's score under one published model once the event was stored: the score, points and
/// grade, the score before (null when this is its first), and the thresholds it reached, or fell
/// below, meanwhile (omitted when none).
/// </summary>
internal sealed record EventScore(
    string Model, int Version, string Contact, int Score, int Points, string? Grade, int? PreviousScore,
    IReadOnlyList<string> ThresholdsCrossed, IReadOnlyList<string>? ThresholdsFallenBelow);
