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
}
