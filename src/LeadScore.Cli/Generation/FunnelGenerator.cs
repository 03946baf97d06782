namespace LeadScore.Cli.Generation;

/// <summary>
/// Writes a synthetic B2B funnel into a folder: companies, contacts, deals, events and outcomes in
/// the shapes <c>leadscore import</c> reads, and <c>truth.csv</c> with each contact's true
/// propensity. Everything follows from the options: the same options give the same bytes. Only the
/// companies are held in memory; each contact is generated, written with its events, deals and
/// outcomes, and forgotten, so the size is limited by disk, not memory.
/// </summary>
internal sealed class FunnelGenerator(GenerationOptions options)
{
    public const string TruthFile = "truth.csv";

    private static readonly string[] ImportableNames = ["companies", "contacts", "deals", "events", "outcomes"];

    private static readonly Column[] CompanyColumns =
    [
        new("id"), new("name"), new("domain"), new("website"), new("industry"), new("employees"), new("annualRevenue"),
        new("country"), new("region"), new("foundedYear"),
    ];

    private static readonly Column[] ContactColumns =
    [
        new("id"), new("companyId"), new("email"), new("firstName"), new("lastName"), new("jobTitle"), new("seniority"),
        new("department"), new("company"), new("industry"), new("employees"), new("annualRevenue"), new("country"), new("region"),
        new("age"), new("budget"), new("purchaseTimeframeDays"), new("leadSource"), new("lifecycleStage"), new("createdAt"),
    ];

    private static readonly Column[] DealColumns =
    [
        new("id"), new("contactId"), new("companyId"), new("name"), new("amount"), new("currency"), new("stage"), new("pipeline"),
        new("plan"), new("expectedCloseDate"), new("createdAt"),
    ];

    private static readonly Column[] EventColumns =
    [
        new("id"), new("contact"), new("type"), new("occurredAt"), new("url", true), new("campaign", true), new("asset", true),
        new("webinar", true), new("form", true), new("pages", true),
    ];

    private static readonly Column[] OutcomeColumns = [new("record"), new("id"), new("outcome"), new("occurredAt"), new("amount")];

    private static readonly Weighted<string> OpenStages = new(("qualification", 40), ("demo", 25), ("proposal", 20), ("negotiation", 15));

    /// <summary>The importable files, in the order to import them (contacts link to companies, outcomes to contacts and deals).</summary>
    public IReadOnlyList<string> ImportableFiles =>
        [.. ImportableNames.Select(name => $"{name}.{options.Extension}")];

    /// <summary>Writes every file into <paramref name="folder"/>, which must exist; <paramref name="progress"/> hears the contacts done so far.</summary>
    public GenerationSummary Write(string folder, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var csv = options.Csv;
        var files = ImportableFiles;
        using var companiesFile = new TableWriter(Path.Combine(folder, files[0]), csv, CompanyColumns);
        using var contactsFile = new TableWriter(Path.Combine(folder, files[1]), csv, ContactColumns);
        using var dealsFile = new TableWriter(Path.Combine(folder, files[2]), csv, DealColumns);
        using var eventsFile = new TableWriter(Path.Combine(folder, files[3]), csv, EventColumns);
        using var outcomesFile = new TableWriter(Path.Combine(folder, files[4]), csv, OutcomeColumns);
        using var truthFile = new TableWriter(Path.Combine(folder, TruthFile), csv: true, new Column("contactId"), new Column("propensity"), new Column("converted"));

        var companies = new Company[options.Companies];
        var companyWeights = new double[companies.Length];
        var total = 0.0;
        for (var i = 0; i < companies.Length; i++)
        {
            var company = companies[i] = Company.Create(i + 1, companies.Length, options.Seed);
            WriteCompany(companiesFile, company);
            // Larger companies have more people in the CRM, but far from proportionally.
            total += 1 + Math.Log2(company.Employees);
            companyWeights[i] = total;
        }

        var planner = new ActivityPlanner(options, new Calendar(options.Start, options.AsOf));
        var events = new List<PlannedEvent>();
        long eventNumber = 0, dealNumber = 0, converted = 0;
        for (var number = 1; number <= options.Contacts; number++)
        {
            var pick = SeededRandom.For(options.Seed, 4, number);
            var company = companies[CompanyAt(companyWeights, pick.NextDouble() * total)];
            var lead = Lead.Create(number, company, options);
            WriteContact(contactsFile, lead);
            truthFile.Text(lead.Id).Number(Math.Round(lead.Propensity, 6)).Number(lead.Converted ? 1 : 0).EndRow();

            planner.Plan(lead, events);
            foreach (var planned in events)
            {
                WriteEvent(eventsFile, ++eventNumber, lead.Id, planned);
            }

            WriteDealAndOutcomes(dealsFile, outcomesFile, lead, ref dealNumber);
            converted += lead.Converted ? 1 : 0;
            if (number % 1_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(number);
            }
        }

        progress?.Invoke(options.Contacts);
        return new GenerationSummary(
            companiesFile.Rows, contactsFile.Rows, dealsFile.Rows, eventsFile.Rows, outcomesFile.Rows, converted, [.. files, TruthFile]);
    }

    private static int CompanyAt(double[] cumulative, double target)
    {
        var index = Array.BinarySearch(cumulative, target);
        return Math.Min(index < 0 ? ~index : index + 1, cumulative.Length - 1);
    }

    private static void WriteCompany(TableWriter file, Company company)
    {
        file.Text(company.Id).Text(company.Name).Text(company.Domain).Text("https://www." + company.Domain).Text(company.Industry.Name)
            .Number(company.Employees).Number(company.AnnualRevenue).Text(company.Country.Code).Text(company.Country.Region)
            .Number(company.FoundedYear).EndRow();
    }

    private static void WriteContact(TableWriter file, Lead lead)
    {
        // Firmographics are copied onto the contact, as CRMs sync them, because contact models read the contact's own fields.
        var company = lead.Company;
        file.Text(lead.Id).Text(company.Id).Text(lead.Email).Text(lead.FirstName).Text(lead.LastName).Text(lead.Job.Title)
            .Text(lead.Job.Seniority).Text(lead.Job.Department).Text(company.Name).Text(company.Industry.Name).Number(company.Employees)
            .Number(company.AnnualRevenue).Text(lead.Country.Code).Text(lead.Country.Region).Number(lead.Age).Number(lead.Budget)
            .Number(lead.PurchaseTimeframeDays).Text(lead.LeadSource).Text(lead.LifecycleStage).Instant(lead.CreatedAt).EndRow();
    }

    private static void WriteEvent(TableWriter file, long number, string contactId, PlannedEvent planned)
    {
        file.Text($"e{number:D9}").Text(contactId).Text(planned.Type).Instant(new DateTimeOffset(planned.UtcTicks, TimeSpan.Zero))
            .Text(planned.Url).Text(planned.Campaign).Text(planned.Asset).Text(planned.Webinar).Text(planned.Form)
            .Number(planned.Pages > 0 ? planned.Pages : null).EndRow();
    }

    /// <summary>
    /// Converters get a won deal and both outcomes; evaluators who did not buy a lost deal; some others
    /// an open deal (likelier the better they would buy). Amounts grow with the company's size.
    /// </summary>
    private void WriteDealAndOutcomes(TableWriter deals, TableWriter outcomes, Lead lead, ref long dealNumber)
    {
        var random = SeededRandom.For(options.Seed, 5, lead.Number);
        if (!lead.Evaluated && !random.Chance(0.03 + 0.25 * lead.Propensity))
        {
            return;
        }

        var dealId = $"d{++dealNumber:D7}";
        var amount = Math.Max(1_000, Math.Round(1_500 * Math.Pow(lead.Company.Employees, 0.55) * Math.Exp(0.35 * random.Gaussian()) / 100) * 100);
        var plan = amount switch { < 10_000 => "starter", < 60_000 => "growth", _ => "enterprise" };
        string stage;
        DateTimeOffset closeDate, createdAt;
        if (lead.DecisionAt is { } decision)
        {
            stage = lead.Converted ? "closed won" : "closed lost";
            closeDate = decision;
            createdAt = Max(options.Start, decision.AddDays(-random.Between(7, 45)));
        }
        else
        {
            stage = OpenStages.Pick(ref random);
            closeDate = options.AsOf.AddDays(random.Between(7, 120));
            createdAt = options.AsOf.AddDays(-random.Between(1, 60)).AddSeconds(-random.Next(86_400));
        }

        deals.Text(dealId).Text(lead.Id).Text(lead.Company.Id).Text($"{lead.Company.Name} - {plan}").Number(amount).Text("USD").Text(stage)
            .Text("new business").Text(plan).Text(closeDate.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .Instant(createdAt).EndRow();

        if (lead.DecisionAt is { } decidedAt)
        {
            // The paperwork follows the decision by up to two days, never past the end of the period.
            var closedAt = Min(decidedAt.AddHours(random.Between(1, 48)), options.AsOf.AddMinutes(-1));
            if (lead.Converted)
            {
                outcomes.Text("contact").Text(lead.Id).Text("converted").Instant(decidedAt).Number(null).EndRow();
            }

            outcomes.Text("deal").Text(dealId).Text(lead.Converted ? "won" : "lost").Instant(closedAt).Number(amount).EndRow();
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
