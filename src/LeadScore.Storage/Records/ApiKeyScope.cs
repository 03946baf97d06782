namespace LeadScore.Storage.Records;

/// <summary>
/// What an API key may do. Each scope includes the ones before it: a write key can read, an admin
/// key can also manage models, keys and erasure.
/// </summary>
public enum ApiKeyScope
{
    Read = 1,
    Write = 2,
    Admin = 3,
}
