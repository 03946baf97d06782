namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// One request a <see cref="CollectRecorder"/> got on /t/collect: the method (a CORS preflight would
/// show as OPTIONS), the k and v query parameters, the request headers and the body as text.
/// </summary>
public sealed record CollectedRequest(
    string Method, string? SiteKey, string? VisitorId, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body read as the snippet's protocol; throws when it is not.</summary>
    public CollectedBatch ReadBatch() => CollectedBatch.Parse(Body);
}
