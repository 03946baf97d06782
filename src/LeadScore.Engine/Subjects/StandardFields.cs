namespace LeadScore.Engine.Subjects;

/// <summary>The fields every contact has a place for; any other field name is a custom field.</summary>
public static class StandardFields
{
    public static IReadOnlyList<string> Contact { get; } =
    [
        "email", "firstName", "lastName", "jobTitle", "seniority", "department", "company", "industry", "employees",
        "annualRevenue", "country", "region", "city", "age", "budget", "purchaseTimeframeDays", "leadSource",
        "lifecycleStage", "owner", "createdAt",
    ];

    /// <summary>
    /// Fields that are not evidence of whether a lead buys, so neither the review's candidate rules nor
    /// the predictive model learn from them: those LeadScore's own automations write (stage, owner, tags,
    /// lists) follow the lead's progress, conversion included, and would read the outcome back; names and
    /// addresses say who a person is, and would be learned by heart. A trailing <c>*</c> matches a prefix.
    /// </summary>
    public static IReadOnlyList<string> NotEvidence { get; } =
    [
        "lifecycleStage", "owner", "lifecycle.*", "tag.*", "list.*",
        "email", "firstName", "lastName", "name", "fullName", "phone", "mobile", "company", "companyName", "website", "domain", "address",
    ];

    /// <summary>Whether <paramref name="field"/> matches one of <paramref name="patterns"/> (ignoring case; a trailing <c>*</c> matches a prefix).</summary>
    public static bool Matches(string field, IEnumerable<string> patterns) => patterns.Any(pattern => pattern.EndsWith('*')
        ? field.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : string.Equals(field, pattern, StringComparison.OrdinalIgnoreCase));
}
