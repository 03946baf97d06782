using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Snapshots;
using LeadScore.Prediction.Training;

namespace LeadScore.Prediction.Tests.Snapshots;

public sealed class SnapshotTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    // Horizon 30 days, snapshots every 30 days: at Now-90, Now-60 and Now-30.
    private static readonly SnapshotOptions ThreeSnapshots = new() { HorizonDays = 30, EveryDays = 30, MaxSnapshots = 3 };

    private static int _eventNumber;

    private static ActivityEvent Event(string type, DateTimeOffset at, string? url = null) =>
        new($"e{Interlocked.Increment(ref _eventNumber)}", type, at,
            url is null ? null : new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase) { ["url"] = FieldValue.FromText(url) });

    private static LeadHistory Lead(string id, DateTimeOffset? convertedAt = null, IReadOnlyDictionary<string, FieldValue>? fields = null, params ActivityEvent[] events) =>
        new(id, fields ?? new Dictionary<string, FieldValue>(), Now.AddDays(-400), [.. events.OrderBy(e => e.OccurredAt)], convertedAt, convertedAt is null ? null : 5_000);

    private static string? Cell(CsvTable table, int row, string column) => table.Rows[row][table.IndexOf(column)];

    [Fact]
    public void Snapshots_FallEveryFewDaysBackFromTheLastCompleteHorizon()
    {
        var table = new SnapshotTable(ThreeSnapshots, [], Now);

        table.Cutoffs.ShouldBe([Now.AddDays(-90), Now.AddDays(-60), Now.AddDays(-30)]);
    }

    [Fact]
    public void Features_CountOnlyTheActivityBeforeEachSnapshot()
    {
        var table = new SnapshotTable(ThreeSnapshots, [], Now);
        table.Add(Lead("a", null, null,
            Event("email_open", Now.AddDays(-95)),
            Event("email_open", Now.AddDays(-65)),
            Event("page_view", Now.AddDays(-62), "https://example.com/pricing"),
            Event("email_open", Now.AddDays(-40)),
            Event("demo_requested", Now.AddDays(-5))));

        var training = table.Training();

        training.Rows.Count.ShouldBe(3);
        Cell(training, 0, "events:email_open:90d").ShouldBe("1");
        Cell(training, 1, "events:email_open:90d").ShouldBe("2");
        Cell(training, 1, "pricing-views:7d").ShouldBe("1");
        Cell(training, 2, "events:email_open:30d").ShouldBe("1");
        Cell(training, 2, "pricing-views:7d").ShouldBe("0");
        Cell(training, 2, "events:demo_requested:90d").ShouldBe("0", "the demo request came after every snapshot");
        Cell(training, 2, FeatureNames.DaysSinceActivity).ShouldBe("10");
        Cell(table.Current(), 0, "events:demo_requested:7d").ShouldBe("1", "the row to predict sees everything up to now");
    }

    [Fact]
    public void Labels_SayWhetherTheContactConvertedWithinTheHorizonAfterTheSnapshot()
    {
        var table = new SnapshotTable(ThreeSnapshots, [], Now);
        table.Add(Lead("late", Now.AddDays(-45)));
        table.Add(Lead("never"));

        var training = table.Training();
        var late = Enumerable.Range(0, training.Rows.Count).Where(r => Cell(training, r, SnapshotTable.IdColumn) == "late").ToList();

        late.Select(r => Cell(training, r, SnapshotTable.LabelColumn)).ShouldBe(["0", "1"], "converted 15 days after the second snapshot; gone from the third");
        table.DaysToConvert().Rows.Single()[table.DaysToConvert().IndexOf(SnapshotTable.DaysColumn)].ShouldBe("15");
        table.Amounts().Rows.Single()[table.Amounts().IndexOf(SnapshotTable.AmountColumn)].ShouldBe("5000");
        table.Current().Rows.Select(r => r[0]).ShouldBe(["never"], "a converted contact is not predicted");
    }

    [Fact]
    public void Fields_DatedAfterTheSnapshotAreBlankAndOutcomeOrIdentityFieldsAreLeftOut()
    {
        var fields = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase)
        {
            ["customerSince"] = FieldValue.FromDate(Now.AddDays(-45)),
            ["industry"] = FieldValue.FromText("saas"),
            ["lifecycleStage"] = FieldValue.FromText("customer"),
            ["tag.won"] = FieldValue.FromBoolean(true),
            ["firstName"] = FieldValue.FromText("Ada"),
        };
        var table = new SnapshotTable(ThreeSnapshots, [], Now);
        table.Add(Lead("a", null, fields));

        var training = table.Training();

        Cell(training, 1, "field-age:customerSince").ShouldBeNull("the date had not happened at the second snapshot");
        Cell(training, 2, "field-age:customerSince").ShouldBe("15");
        Cell(training, 0, "field:industry").ShouldBe("saas");
        training.Columns.ShouldNotContain("field:lifecycleStage");
        training.Columns.ShouldNotContain("field:tag.won");
        training.Columns.ShouldNotContain("field:firstName");
    }

    [Fact]
    public void RuleScores_AreReplayedAsOfEachSnapshotFromTheEarlierEventsOnly()
    {
        var model = CompiledModel.Compile(ScoringModelJson.Parse("""
            {"key": "m", "target": "contact", "scale": 100,
             "categories": [{"key": "engagement", "dimension": "engagement", "budget": 100}],
             "rules": [{"key": "demo", "category": "engagement", "points": 40, "event": {"type": "demo_requested"}}]}
            """).Model!);
        var table = new SnapshotTable(ThreeSnapshots, [model], Now);
        table.Add(Lead("a", null, null, Event("demo_requested", Now.AddDays(-50))));

        var training = table.Training();

        Enumerable.Range(0, 3).Select(r => Cell(training, r, FeatureNames.Score("m"))).ShouldBe(["0", "0", "40"]);
        Cell(training, 2, FeatureNames.Points("m", "engagement")).ShouldBe("40");
    }

    /// <summary>
    /// Contacts with no signal at all, except that converters get an onboarding call right after they
    /// converted. A model that could see that call would rank converters perfectly; as-of snapshots
    /// cannot see it, so the validated AUC stays near chance. The control plants the same call before
    /// the snapshot, where it is fair game, and the model finds it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APlantedLeak_AfterTheOutcome_IsNeverLearned(bool plantedBeforeTheSnapshot)
    {
        var random = new Random(11);
        var table = new SnapshotTable(new SnapshotOptions { HorizonDays = 30, EveryDays = 30, MaxSnapshots = 2 }, [], Now);
        for (var i = 0; i < 900; i++)
        {
            var events = Enumerable.Range(0, random.Next(0, 6)).Select(_ => Event("email_open", Now.AddDays(-random.Next(1, 120)))).ToList();
            // Snapshots at Now-60 and Now-30, each with the same share of positives (so the snapshot's
            // instant, which features like days-known reveal, tells nothing).
            DateTimeOffset? converted = random.NextDouble() < 0.25 ? Now.AddDays(-random.Next(1, 60)).AddHours(-1) : null;
            if (converted is { } at)
            {
                var snapshot = at > Now.AddDays(-30) ? Now.AddDays(-30) : Now.AddDays(-60);
                events.Add(Event("onboarding_call", plantedBeforeTheSnapshot ? snapshot.AddDays(-1) : at.AddHours(2)));
            }

            table.Add(Lead($"c{i:000}", converted, null, [.. events]));
        }

        var outcome = LeadModelTrainer.Train(table.Training(), new TrainingOptions(SnapshotTable.LabelColumn)
        {
            IdColumn = SnapshotTable.IdColumn,
            PositiveValues = ["1"],
            Exclude = [SnapshotTable.TimeColumn],
        });

        var auc = outcome.ShouldBeOfType<TrainingOutcome.Trained>().Model.Manifest.Metrics.Auc;
        if (plantedBeforeTheSnapshot)
        {
            auc.ShouldBeGreaterThan(0.9);
        }
        else
        {
            auc.ShouldBeLessThan(0.65);
        }
    }

    [Theory]
    [InlineData("events:email_open:7d", "3", "opened emails 3 times in the last 7 days")]
    [InlineData("events:demo_requested:30d", "1", "requested a demo once in the last 30 days")]
    [InlineData("events:demo_requested:30d", "0", "has not requested a demo in the last 30 days")]
    [InlineData("events:custom_thing:90d", "2", "had 'custom_thing' events 2 times in the last 90 days")]
    [InlineData("pricing-views:7d", "3", "visited the pricing page 3 times in the last 7 days")]
    [InlineData("active-days:30d", "12", "active on 12 of the last 30 days")]
    [InlineData("days-since-activity", null, "no activity yet")]
    [InlineData("days-since-activity", "1", "last active 1 day ago")]
    [InlineData("score:balanced", "72.4", "has 72 points under balanced")]
    [InlineData("points:balanced:fit", "35", "35 fit points under balanced")]
    [InlineData("field:industry", "retail", "industry is retail")]
    [InlineData("field:budget", null, "budget is unknown")]
    [InlineData("field-age:createdAt", "120", "createdAt was 120 days before")]
    public void Features_AreDescribedInPlainWords(string feature, string? value, string words)
    {
        FeatureNames.Describe(feature, value).ShouldBe(words);
    }
}
