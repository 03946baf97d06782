namespace LeadScore.Storage.Records;

/// <summary>
/// Who a lead on a list is and when it last did something: what a sales rep scans a ranked list for,
/// so that a page of leads needs no request per row. <see cref="Name"/> is "first last" (or the
/// <c>name</c> field); <see cref="LastActivity"/> is the type of its latest event.
/// </summary>
public sealed record LeadContact(string? Name, string? Email, string? Company, string? Owner, DateTimeOffset? LastActivityAt, string? LastActivity);
