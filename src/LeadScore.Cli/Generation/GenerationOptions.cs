using LeadScore.Engine.Values;

namespace LeadScore.Cli.Generation;

/// <summary>What to generate. Build it with <see cref="TryCreate"/>, which says what to change when an option is out of range.</summary>
internal sealed record GenerationOptions
{
    public const int DefaultContacts = 20_000;
    public const int DefaultDays = 90;
    public const long DefaultSeed = 1;
    public const int MaxContacts = 50_000_000;
    public const int MaxDays = 3_650;
    public static readonly DateTimeOffset DefaultAsOf = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private GenerationOptions(int contacts, int companies, int days, long seed, DateTimeOffset asOf, bool csv)
    {
        Contacts = contacts;
        Companies = companies;
        Days = days;
        Seed = seed;
        AsOf = asOf;
        Csv = csv;
    }

    public int Contacts { get; }

    public int Companies { get; }

    public int Days { get; }

    public long Seed { get; }

    /// <summary>The end of the generated period: every event and outcome happens before it.</summary>
    public DateTimeOffset AsOf { get; }

    public DateTimeOffset Start => AsOf.AddDays(-Days);

    public bool Csv { get; }

    public string Extension => Csv ? "csv" : "jsonl";

    /// <summary>The options, or null with <paramref name="problem"/> saying which option to change and how.</summary>
    public static GenerationOptions? TryCreate(
        int contacts, int? companies, int days, long seed, string? asOf, string format, out string? problem)
    {
        problem = null;
        var asOfInstant = DefaultAsOf;
        if (contacts is < 1 or > MaxContacts)
        {
            problem = $"--contacts {contacts} is out of range: give 1 to {MaxContacts:N0} contacts";
        }
        else if (companies is < 1 || companies > contacts)
        {
            problem = $"--companies {companies} is out of range: give 1 to {contacts} (at most one company per contact), or leave it out for contacts / 10";
        }
        else if (days is < 1 or > MaxDays)
        {
            problem = $"--days {days} is out of range: give 1 to {MaxDays} days of activity";
        }
        else if (asOf is not null && !IsoDate.TryParse(asOf, out asOfInstant))
        {
            problem = $"--as-of '{asOf}' is not an ISO 8601 instant such as 2026-11-23T00:00:00Z";
        }
        else if (format is not ("jsonl" or "csv"))
        {
            problem = $"--format '{format}' is not supported: use jsonl or csv";
        }

        return problem is null
            ? new GenerationOptions(contacts, companies ?? Math.Max(1, contacts / 10), days, seed, asOfInstant.ToUniversalTime(), format == "csv")
            : null;
    }
}
