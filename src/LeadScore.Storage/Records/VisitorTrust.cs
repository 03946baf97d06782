using System.Collections.Immutable;

namespace LeadScore.Storage.Records;

/// <summary>
/// What a site key lets an unauthenticated visitor say about themselves. The site key is public, so
/// whatever the snippet sends is a claim: it may fill the <see cref="Traits"/> listed (by default
/// only name-like ones and consent) where a contact has no value yet, and never the fields that route
/// or classify a lead (<see cref="IsNeverFromVisitors"/>); an identify naming an existing contact is
/// handled as <see cref="Claims"/> says.
/// </summary>
public sealed record VisitorTrust
{
    /// <summary>The traits a site key lets visitors fill when it lists none.</summary>
    public static ImmutableArray<string> DefaultTraits { get; } = ["firstName", "lastName", "name", "consent"];

    public static VisitorTrust Default { get; } = new(DefaultTraits, VisitorClaims.Hold);

    private VisitorTrust(ImmutableArray<string> traits, VisitorClaims claims)
    {
        Traits = traits;
        Claims = claims;
    }

    public ImmutableArray<string> Traits { get; }

    public VisitorClaims Claims { get; }

    /// <summary>The trust, or why these traits cannot be given to visitors.</summary>
    public static (VisitorTrust? Trust, string? Problem) Create(IReadOnlyList<string>? traits, VisitorClaims claims)
    {
        if (traits is null)
        {
            return (new VisitorTrust(DefaultTraits, claims), null);
        }

        if (traits.Count > 50)
        {
            return (null, $"{traits.Count} traits; a site key lets visitors fill at most 50.");
        }

        foreach (var trait in traits)
        {
            if (string.IsNullOrWhiteSpace(trait) || trait.Length > 100)
            {
                return (null, "A trait name is 1 to 100 characters.");
            }

            if (IsNeverFromVisitors(trait))
            {
                return (null, $"'{trait}' cannot be set from the website snippet: the email, owner, lifecycle stage, company, tags and lists "
                    + "route and classify a lead, so only a trusted source (the API, an import, an automation) sets them.");
            }
        }

        return (new VisitorTrust([.. traits.Distinct(StringComparer.OrdinalIgnoreCase)], claims), null);
    }

    /// <summary>Fields an anonymous visitor may never set, whatever a site key lists: they move a lead between owners, stages, accounts or lists.</summary>
    public static bool IsNeverFromVisitors(string field) =>
        field.Equals("email", StringComparison.OrdinalIgnoreCase)
        || field.Equals("owner", StringComparison.OrdinalIgnoreCase)
        || field.Equals("lifecycleStage", StringComparison.OrdinalIgnoreCase)
        || field.Equals("companyId", StringComparison.OrdinalIgnoreCase)
        || field.Equals("anonymous", StringComparison.OrdinalIgnoreCase)
        || field.StartsWith("tag.", StringComparison.OrdinalIgnoreCase)
        || field.StartsWith("list.", StringComparison.OrdinalIgnoreCase);

    public bool AllowsTrait(string field) =>
        !IsNeverFromVisitors(field) && Traits.Contains(field, StringComparer.OrdinalIgnoreCase);

    /// <summary>The name stored and shown: <c>hold</c> or <c>merge</c>.</summary>
    public static string NameOf(VisitorClaims claims) => claims == VisitorClaims.Merge ? "merge" : "hold";

    public static VisitorClaims? ClaimsNamed(string? name) => name?.ToLowerInvariant() switch
    {
        null or "hold" => VisitorClaims.Hold,
        "merge" => VisitorClaims.Merge,
        _ => null,
    };
}
