namespace LeadScore.Storage.Records;

/// <summary>A key just made: the only moment its full text (<see cref="Secret"/>) exists outside its owner's hands.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
