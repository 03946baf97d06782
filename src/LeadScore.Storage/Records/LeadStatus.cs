namespace LeadScore.Storage.Records;

/// <summary>
/// Where a lead stands, so a list of whom to call does not lead with customers. A contact is
/// converted once it has a conversion outcome or a won deal of its own; a deal is won or lost by its
/// outcome; any record a model disqualifies is disqualified. Everything else is open.
/// </summary>
public enum LeadStatus
{
    Open,
    Converted,
    Won,
    Lost,
    Disqualified,
}

/// <summary>The names of <see cref="LeadStatus"/> as the API, the CLI and the database say them.</summary>
public static class LeadStatuses
{
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<LeadStatus>().Select(Name)];

    public static string Name(LeadStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The status a name means (case-insensitive), or null.</summary>
    public static LeadStatus? Named(string? name) =>
        Enum.GetValues<LeadStatus>().Where(s => string.Equals(Name(s), name?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(s => (LeadStatus?)s).FirstOrDefault();

    /// <summary>
    /// The statuses a filter names: only open leads when it is empty or "open", every status for
    /// "all", else a comma-separated list of names; null when a name is unknown.
    /// </summary>
    public static IReadOnlySet<LeadStatus>? FilterNamed(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("open", StringComparison.OrdinalIgnoreCase))
        {
            return OpenOnly;
        }

        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Every;
        }

        var named = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Named).ToList();
        return named.Count == 0 || named.Any(s => s is null) ? null : named.Select(s => s!.Value).ToHashSet();
    }

    /// <summary>What a lead list shows by default: customers, closed deals and disqualified leads are not whom to call next.</summary>
    public static IReadOnlySet<LeadStatus> OpenOnly { get; } = new HashSet<LeadStatus> { LeadStatus.Open };

    public static IReadOnlySet<LeadStatus> Every { get; } = Enum.GetValues<LeadStatus>().ToHashSet();
}
