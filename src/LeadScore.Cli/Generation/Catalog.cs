namespace LeadScore.Cli.Generation;

/// <summary>An industry, how often companies are in it, how well it fits the product, and revenue per employee.</summary>
internal sealed record Industry(string Name, double Fit, double RevenuePerEmployee);

/// <summary>A country and the region sales teams file it under.</summary>
internal sealed record Country(string Code, string Region, bool ServiceArea);

/// <summary>A job as CRMs hold it: the title, the department and the seniority level.</summary>
internal sealed record Job(string Title, string Department, string Seniority, double Fit);

/// <summary>
/// The vocabulary of the synthetic funnel. Field values the example models test (industries,
/// employees, titles, seniority, departments, countries, budget, timeframe) use exactly the values
/// those models name, so their rules fire at realistic rates; the rest only looks real.
/// </summary>
internal static class Catalog
{
    public static readonly Weighted<Industry> Industries = new(
        (new Industry("software", 1.0, 220_000), 13),
        (new Industry("saas", 1.0, 240_000), 11),
        (new Industry("fintech", 0.7, 300_000), 6),
        (new Industry("financial services", 0.3, 350_000), 8),
        (new Industry("professional services", 0.1, 160_000), 9),
        (new Industry("manufacturing", -0.3, 250_000), 11),
        (new Industry("retail", -0.4, 180_000), 10),
        (new Industry("healthcare", -0.2, 150_000), 9),
        (new Industry("media", -0.1, 200_000), 5),
        (new Industry("logistics", -0.3, 210_000), 5),
        (new Industry("education", -0.7, 90_000), 6),
        (new Industry("government", -0.9, 120_000), 3),
        (new Industry("nonprofit", -0.8, 80_000), 4));

    /// <summary>Company size bands (employees): mostly small companies, a long tail of large ones.</summary>
    public static readonly Weighted<(int Min, int Max)> SizeBands = new(
        ((2, 49), 38),
        ((50, 99), 16),
        ((100, 999), 32),
        ((1000, 9999), 11),
        ((10000, 120000), 3));

    public static readonly Weighted<Country> Countries = new(
        (new Country("US", "North America", true), 44),
        (new Country("GB", "EMEA", true), 12),
        (new Country("CA", "North America", true), 8),
        (new Country("DE", "EMEA", false), 9),
        (new Country("FR", "EMEA", false), 6),
        (new Country("NL", "EMEA", false), 4),
        (new Country("ES", "EMEA", false), 3),
        (new Country("AU", "APAC", false), 5),
        (new Country("IN", "APAC", false), 5),
        (new Country("SG", "APAC", false), 1),
        (new Country("BR", "LATAM", false), 3));

    public static readonly Weighted<Job> Jobs = new(
        (new Job("Chief Executive Officer", "executive", "executive", 0.5), 2.5),
        (new Job("Founder", "executive", "executive", 0.5), 1.5),
        (new Job("Chief Technology Officer", "engineering", "executive", 0.7), 1.5),
        (new Job("Chief Marketing Officer", "marketing", "executive", 0.7), 1.2),
        (new Job("Chief Financial Officer", "finance", "executive", 0.2), 1),
        (new Job("VP Engineering", "engineering", "vp", 0.8), 2),
        (new Job("VP Marketing", "marketing", "vp", 0.8), 2),
        (new Job("VP Sales", "sales", "vp", 0.4), 2),
        (new Job("VP Operations", "operations", "vp", 0.6), 1.2),
        (new Job("Head of Growth", "marketing", "director", 0.7), 1.5),
        (new Job("Head of IT", "it", "director", 0.7), 1.5),
        (new Job("Director of Engineering", "engineering", "director", 0.6), 2),
        (new Job("Director of Operations", "operations", "director", 0.5), 1.5),
        (new Job("Director of Sales", "sales", "director", 0.3), 2),
        (new Job("Marketing Director", "marketing", "director", 0.6), 1.5),
        (new Job("Engineering Manager", "engineering", "manager", 0.3), 4),
        (new Job("IT Manager", "it", "manager", 0.4), 4),
        (new Job("Marketing Manager", "marketing", "manager", 0.3), 5),
        (new Job("Operations Manager", "operations", "manager", 0.2), 4),
        (new Job("Sales Manager", "sales", "manager", 0.0), 4),
        (new Job("Product Manager", "product", "manager", 0.1), 4),
        (new Job("HR Manager", "hr", "manager", -0.4), 2.5),
        (new Job("Senior Software Engineer", "engineering", "senior", -0.1), 6),
        (new Job("Software Engineer", "engineering", "entry", -0.3), 7),
        (new Job("Systems Administrator", "it", "senior", 0.0), 4),
        (new Job("Data Analyst", "operations", "entry", -0.2), 4),
        (new Job("Marketing Specialist", "marketing", "entry", -0.2), 5),
        (new Job("Content Marketer", "marketing", "entry", -0.3), 3),
        (new Job("Sales Representative", "sales", "entry", -0.5), 5),
        (new Job("Account Executive", "sales", "senior", -0.4), 4),
        (new Job("Accountant", "finance", "entry", -0.6), 3),
        (new Job("Recruiter", "hr", "entry", -0.8), 2.5),
        (new Job("Legal Counsel", "legal", "senior", -0.6), 1.5),
        (new Job("Marketing Intern", "marketing", "intern", -1.2), 2),
        (new Job("Engineering Intern", "engineering", "intern", -1.2), 1.5),
        (new Job("Student", "education", "student", -3.0), 1.2),
        (new Job("PhD Student", "education", "student", -3.0), 0.6));

    public static readonly Weighted<string> LeadSources = new(
        ("organic search", 24), ("paid search", 14), ("paid social", 10), ("referral", 7), ("webinar", 8),
        ("event", 6), ("content syndication", 9), ("outbound", 10), ("partner", 5), ("direct", 7));

    public static readonly Weighted<string> LifecycleStages = new(("subscriber", 35), ("lead", 65));

    public static readonly string[] PersonalDomains = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"];

    public static readonly string[] FirstNames =
    [
        "Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "James", "Kenji", "Laura", "Marco",
        "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Samuel", "Tara", "Umar", "Vera", "William", "Xin", "Yusuf",
        "Zoe", "Aisha", "Bruno", "Carmen", "Dmitri", "Emma", "Felix", "Hannah", "Ivan", "Julia", "Liam", "Maya",
        "Noah", "Olivia", "Pedro", "Sofia", "Thomas", "Anya", "Daniel", "Fatima", "Lucas", "Mei", "Sara", "Arjun",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Martin", "Lee", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright",
        "Scott", "Green", "Baker", "Adams", "Nelson", "Patel", "Kumar", "Singh", "Chen", "Wang", "Kim", "Nguyen",
        "Muller", "Schmidt", "Dubois", "Rossi", "Silva", "Santos", "Jansen", "Novak", "Kowalski", "Ivanova", "Okafor",
    ];

    public static readonly string[] CompanyStems =
    [
        "North", "Blue", "Bright", "Cedar", "Delta", "Ever", "Falcon", "Granite", "Harbor", "Iron", "Juniper", "Keystone",
        "Lumen", "Maple", "Nimbus", "Orbit", "Pioneer", "Quartz", "River", "Summit", "Terra", "Union", "Vertex", "Willow",
        "Apex", "Beacon", "Cobalt", "Sterling", "Silver", "Atlas", "Crescent", "Evergreen", "Horizon", "Meridian", "Nova",
    ];

    public static readonly string[] CompanyEndings =
    [
        "wind", "field", "stone", "bridge", "works", "point", "line", "gate", "path", "peak", "labs", "soft", "logic",
        "data", "wave", "forge", "scale", "view", "craft", "mark",
    ];

    public static readonly string[] CompanySuffixes = ["Inc", "Ltd", "GmbH", "Group", "Corp", "Systems", "Technologies", "Partners", "Co"];

    /// <summary>Public pages of the product's website; pricing pages are drawn apart, by intent.</summary>
    public static readonly string[] Pages =
    [
        "/", "/product", "/features", "/integrations", "/customers", "/blog/lead-scoring-101", "/blog/mql-vs-sql",
        "/blog/scoring-models-that-work", "/resources", "/about", "/careers", "/docs/getting-started", "/security",
    ];

    public static readonly string[] PricingPages = ["/pricing", "/pricing/enterprise", "/pricing/compare"];

    public static readonly string[] Assets =
    [
        "ebook-lead-scoring-guide", "whitepaper-revenue-operations", "report-state-of-b2b-marketing",
        "checklist-mql-definition", "case-study-northwind", "template-scoring-model",
    ];

    public static readonly string[] Forms = ["newsletter-signup", "content-download", "contact-us", "event-registration"];

    public const string Site = "https://leadscore.example";

    /// <summary>The one competitor's domain: its staff read the pricing page and never buy (the example models disqualify it).</summary>
    public const string CompetitorDomain = "rival.example";
}
