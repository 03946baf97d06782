namespace LeadScore.Cli.Generation;

/// <summary>
/// A generated contact with what the generator knows and the files do not say: how well they fit,
/// how interested they are, their propensity to buy and whether (and when) they bought.
/// </summary>
internal sealed class Lead
{
    // Chosen so that about one contact in ten converts at the default options (docs/synthetic-data.md).
    private const double BaseLogit = -3.4;

    private static readonly int[] PurchaseTimeframes = [30, 60, 90, 90, 180, 180, 365];

    private Lead(int number, Company company)
    {
        Number = number;
        Company = company;
        Id = $"c{number:D7}";
    }

    public int Number { get; }

    public string Id { get; }

    public Company Company { get; }

    public string FirstName { get; private set; } = "";

    public string LastName { get; private set; } = "";

    public string Email { get; private set; } = "";

    public Job Job { get; private set; } = Catalog.Jobs.Items[0];

    public Country Country { get; private set; } = Catalog.Countries.Items[0];

    public int? Age { get; private set; }

    public double? Budget { get; private set; }

    public int? PurchaseTimeframeDays { get; private set; }

    public string LeadSource { get; private set; } = "";

    public string LifecycleStage { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public bool PersonalEmail { get; private set; }

    /// <summary>The address bounces: the first email sent says so and no other is delivered.</summary>
    public bool BadAddress { get; private set; }

    /// <summary>A security scanner or a curious competitor: opens and clicks everything, never buys.</summary>
    public bool Noise { get; private set; }

    /// <summary>Fit as a log-odds contribution: industry, size, role, seniority, budget, timeframe, country.</summary>
    public double Fit { get; private set; }

    /// <summary>How much this person engages, as a multiplier of the base event rates (log-normal, mean about 1.3).</summary>
    public double Interest { get; private set; }

    /// <summary>The true probability to convert in the period, 0 to 1.</summary>
    public double Propensity { get; private set; }

    public bool Converted { get; private set; }

    /// <summary>When a converter converted, or when an evaluator chose someone else; null for everyone else.</summary>
    public DateTimeOffset? DecisionAt { get; private set; }

    /// <summary>Whether this person evaluated the product in the period (everyone who converted, and some who did not).</summary>
    public bool Evaluated => DecisionAt is not null;

    public static Lead Create(int number, Company company, GenerationOptions options)
    {
        var random = SeededRandom.For(options.Seed, 2, number);
        var lead = new Lead(number, company);
        lead.Describe(ref random, options);
        lead.Decide(ref random, options);
        return lead;
    }

    private void Describe(ref SeededRandom random, GenerationOptions options)
    {
        FirstName = random.Pick(Catalog.FirstNames);
        LastName = random.Pick(Catalog.LastNames);
        Job = Catalog.Jobs.Pick(ref random);
        Country = random.Chance(0.85) ? Company.Country : Catalog.Countries.Pick(ref random);
        PersonalEmail = random.Chance(Job.Seniority == "student" ? 0.7 : 0.07);
        var local = $"{FirstName}.{LastName}{(random.Chance(0.3) ? random.Between(1, 99).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}".ToLowerInvariant();
        // The contact number keeps every address unique, as a CRM's dedup would.
        Email = PersonalEmail
            ? $"{local}.{Number}@{random.Pick(Catalog.PersonalDomains)}"
            : $"{local}.{Number}@{Company.Domain}";
        BadAddress = random.Chance(0.02);
        Noise = random.Chance(0.03);
        Age = random.Chance(0.06) ? null : Job.Seniority switch
        {
            "student" => random.Between(17, 27),
            "intern" => random.Between(19, 26),
            "entry" => random.Between(22, 35),
            _ => Math.Clamp((int)Math.Round(42 + 9 * random.Gaussian()), 24, 68),
        };

        var typicalBudget = Company.Employees switch { < 50 => 8_000.0, < 100 => 15_000.0, < 1000 => 35_000.0, _ => 90_000.0 };
        Budget = random.Chance(0.5) ? Math.Round(typicalBudget * Math.Exp(0.6 * random.Gaussian()) / 1000) * 1000 : null;
        PurchaseTimeframeDays = random.Chance(0.4) ? random.Pick(PurchaseTimeframes) : null;
        LeadSource = Catalog.LeadSources.Pick(ref random);
        LifecycleStage = Catalog.LifecycleStages.Pick(ref random);
        CreatedAt = options.AsOf.AddDays(-options.Days - random.Next(365)).AddSeconds(-random.Next(86_400));

        Fit = Company.Fit + Job.Fit
            + (Job.Department is "engineering" or "it" or "operations" or "marketing" ? 0.2 : -0.1)
            + Budget switch { null => 0, >= 25_000 => 0.5, < 10_000 => -0.3, _ => 0 }
            + PurchaseTimeframeDays switch { null => 0, <= 90 => 0.5, _ => -0.2 }
            + (Country.ServiceArea ? 0.3 : -1.0)
            + (PersonalEmail ? -0.5 : 0)
            + (BadAddress ? -0.5 : 0);
    }

    private void Decide(ref SeededRandom random, GenerationOptions options)
    {
        // Interest leans on fit (people who need the product read about it) but varies a lot on its own.
        var logInterest = -0.25 + 0.3 * Fit + 0.9 * random.Gaussian();
        Interest = Math.Exp(logInterest);
        var logit = BaseLogit + 1.0 * Fit + 0.9 * logInterest + 0.7 * random.Gaussian();
        Propensity = Company.IsCompetitor || Noise ? 0 : 1 / (1 + Math.Exp(-logit));
        Converted = random.Chance(Propensity);

        // Decisions fall after the first fifth of the period, so a converter's burst of activity lies inside it.
        var earliest = options.Days * 0.2;
        var decisionDay = earliest + random.NextDouble() * (options.Days - earliest - 0.5);
        var evaluatedWithoutBuying = !Converted && random.Chance(Math.Min(0.6, 0.8 * Propensity) + (Company.IsCompetitor ? 0.5 : 0));
        if (Converted || evaluatedWithoutBuying)
        {
            DecisionAt = options.Start.AddDays(decisionDay);
        }
    }
}
