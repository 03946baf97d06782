namespace LeadScore.Storage.Records;

/// <summary>
/// The contact a visitor's events went to (null when the browser belongs to an erased person, and
/// nothing was stored), what was stored, whether an anonymous visitor was merged into a known contact,
/// and the existing contact the visitor claimed to be when that claim is held for confirmation.
/// </summary>
public sealed record CollectResult(string? ContactId, IngestResult Ingest, bool Merged, string? HeldClaim = null);
