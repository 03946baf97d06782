namespace LeadScore.Storage.Records;

/// <summary>
/// What an API key may do. Each scope includes the ones before it: a write key can read, an admin
/// key can also manage models, keys and erasure. An ingest key (a source's write key, made by
/// 'leadscore source create') comes before them all: it sends events and identities to the
/// Segment-compatible endpoints and can do nothing else, not even read.
/// </summary>
public enum ApiKeyScope
{
    Ingest = 0,
    Read = 1,
    Write = 2,
    Admin = 3,
}
