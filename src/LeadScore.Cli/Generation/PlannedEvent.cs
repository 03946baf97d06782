namespace LeadScore.Cli.Generation;

/// <summary>An event of one contact before it gets its id; the properties are the columns of the events file.</summary>
internal readonly record struct PlannedEvent(
    long UtcTicks, string Type, string? Url = null, string? Campaign = null, string? Asset = null, string? Webinar = null,
    string? Form = null, int Pages = 0);
