namespace LeadScore.Cli.Tests;

/// <summary>The example model and data of the repository, which the store tests load.</summary>
internal static class Examples
{
    public static readonly string Model = Repository.File("examples/models/b2b-saas.json");
    public static readonly string Contacts = Repository.File("examples/data/contacts.jsonl");
    public static readonly string Events = Repository.File("examples/data/events.jsonl");

    /// <summary>The <c>--as-of</c> of offline scoring that matches the clock the store commands run on.</summary>
    public static readonly string AsOf = CliRun.Now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Imports the example contacts and events into <paramref name="database"/> and publishes the example model.</summary>
    public static void LoadInto(string database)
    {
        foreach (var run in new[]
        {
            CliRun.Of("import", "contacts", Contacts, "--db", database),
            CliRun.Of("import", "events", Events, "--db", database),
            CliRun.Of("model", "publish", Model, "--db", database),
        })
        {
            run.ExitCode.ShouldBe(0, run.Output + run.Error);
        }
    }
}
