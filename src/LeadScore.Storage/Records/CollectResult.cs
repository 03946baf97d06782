namespace LeadScore.Storage.Records;

/// <summary>The contact a visitor's events went to, what was stored, and whether an anonymous visitor was merged into a known contact.</summary>
public sealed record CollectResult(string ContactId, IngestResult Ingest, bool Merged);
