namespace LeadScore.Cli.Generation;

/// <summary>A generated company (account). <see cref="Fit"/> is its hidden share of its contacts' propensity.</summary>
internal sealed record Company(
    string Id, string Name, string Domain, Industry Industry, int Employees, long AnnualRevenue, Country Country, int FoundedYear, double Fit)
{
    public bool IsCompetitor => Domain == Catalog.CompetitorDomain;

    public static Company Create(int number, int count, long seed)
    {
        var random = SeededRandom.For(seed, 1, number);
        var industry = Catalog.Industries.Pick(ref random);
        var band = Catalog.SizeBands.Pick(ref random);
        // Log-uniform inside the band: more 120-employee than 900-employee companies.
        var employees = (int)Math.Round(Math.Exp(Math.Log(band.Min) + random.NextDouble() * (Math.Log(band.Max) - Math.Log(band.Min))));
        var revenue = RoundTo(employees * industry.RevenuePerEmployee * Math.Exp(0.35 * random.Gaussian()), 10_000);
        var country = Catalog.Countries.Pick(ref random);
        var stem = random.Pick(Catalog.CompanyStems);
        var ending = random.Pick(Catalog.CompanyEndings);
        var suffix = random.Pick(Catalog.CompanySuffixes);
        var founded = random.Between(1950, 2022);
        var id = $"co{number:D6}";

        // One company (the middle one) is the competitor, whose staff the example models disqualify.
        if (count >= 20 && number == count / 2)
        {
            return new Company(id, "Rival Inc", Catalog.CompetitorDomain, Catalog.Industries.Items[1], 180, 40_000_000, Catalog.Countries.Items[0], 2012, 0);
        }

        // The number keeps domains unique however many companies share a name.
        var domain = $"{stem}{ending}{number}.example".ToLowerInvariant();
        var sizeFit = employees switch
        {
            < 50 => -0.7,
            < 100 => -0.1,
            < 1000 => 0.5,
            < 10000 => 0.7,
            _ => 0.4,
        };
        return new Company(id, $"{stem}{ending} {suffix}", domain, industry, employees, revenue, country, founded, industry.Fit + sizeFit);
    }

    private static long RoundTo(double value, long step) => Math.Max(step, (long)Math.Round(value / step) * step);
}
