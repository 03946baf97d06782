using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Tests.Compilation;

/// <summary>The compiled model as a whole: the scoring instant, when a score next changes, reuse across records.</summary>
public sealed class CompiledModelTests
{
    private const string Demo = """{"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested", "within": "30d"}}""";

    [Fact]
    public void Score_EventsAfterTheScoringTime_AreIgnored()
    {
        var model = Some.Model(Demo);
        var demo = Some.Event("demo_requested", daysAgo: 2);

        var before = model.Score(Some.Contact([demo]), Some.Now.AddDays(-3));
        var after = model.Score(Some.Contact([demo]), Some.Now);

        before.Points.ShouldBe(0);
        after.Points.ShouldBe(20);
    }

    [Fact]
    public void Score_RecordsTheInstantAndTheSubject()
    {
        var model = Some.Model(Demo);

        var card = model.Score(ScoringSubject.ForContact("c42", Some.Fields(), []), Some.Now);

        card.AsOf.ShouldBe(Some.Now);
        card.SubjectId.ShouldBe("c42");
        card.ModelKey.ShouldBe("test");
    }

    [Fact]
    public void Score_OneRecordAfterAnother_DoesNotCarryEventsOver()
    {
        var model = Some.Model(Demo);

        var first = model.Score(Some.Contact(Some.Events("demo_requested", 1)));
        var second = model.Score(Some.Contact());

        first.Points.ShouldBe(20);
        second.Points.ShouldBe(0);
        second.Rules.ShouldBeEmpty();
    }

    [Fact]
    public void Score_ManyThreadsAtOnce_GiveTheSameCardsAsOneThread()
    {
        var model = Some.Model("""
            {"key": "opens", "category": "engagement", "points": 3, "per": "occurrence", "maxPoints": 30, "event": {"type": "email_open", "within": "30d"}},
            {"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested"}, "decay": {"halfLife": "2w"}},
            {"key": "software", "category": "fit", "points": 25, "when": {"field": "industry", "eq": "software"}}
            """);
        var leads = Enumerable.Range(0, 400).Select(i => ScoringSubject.ForContact($"c{i}",
            Some.Fields(("industry", i % 3 == 0 ? "software" : "retail")),
            [.. Some.Events("email_open", [.. Enumerable.Range(0, i % 13).Select(d => (double)d * 3)]), .. Some.Events("demo_requested", i % 40)])).ToArray();
        var sequential = leads.Select(lead => model.Score(lead).Points).ToArray();

        var parallel = new int[leads.Length];
        Parallel.For(0, leads.Length, i => parallel[i] = model.Score(leads[i]).Points);

        parallel.ShouldBe(sequential);
        sequential.Distinct().Count().ShouldBeGreaterThan(10);
    }

    [Fact]
    public void Score_EventTypeIsMatchedIgnoringCase()
    {
        var model = Some.Model(Demo);

        var card = model.Score(Some.Contact(Some.Events("Demo_Requested", 1)));

        card.Points.ShouldBe(20);
    }

    [Fact]
    public void NextChangeAt_NothingDependsOnTime_IsNull()
    {
        var model = Some.Model("""{"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}}""");

        var card = model.Score(Some.Contact(("industry", "software")));

        card.NextChangeAt.ShouldBeNull();
    }

    [Fact]
    public void NextChangeAt_EventInAWindow_IsWhenItLeavesTheWindow()
    {
        var model = Some.Model(Demo);

        var card = model.Score(Some.Contact(Some.Events("demo_requested", 25)));

        card.NextChangeAt.ShouldBe(Some.Now.AddDays(5));
        model.Score(Some.Contact(Some.Events("demo_requested", 25)), card.NextChangeAt!.Value).Points.ShouldBe(0);
    }

    [Fact]
    public void NextChangeAt_OnceRule_WaitsForTheLastMatchingEventToLeave()
    {
        var model = Some.Model(Demo);
        var events = Some.Events("demo_requested", 25, 10);

        var card = model.Score(Some.Contact(events));

        card.NextChangeAt.ShouldBe(Some.Now.AddDays(20));
    }

    [Fact]
    public void NextChangeAt_Count_IsWhenTooFewEventsRemain()
    {
        var model = Some.Model("""{"key": "pricing", "category": "engagement", "points": 5, "event": {"type": "page_view", "within": "14d", "count": {"gte": 2}}}""");

        var card = model.Score(Some.Contact(Some.Events("page_view", 1, 4, 10)));

        card.NextChangeAt.ShouldBe(Some.Now.AddDays(10));
    }

    [Fact]
    public void NextChangeAt_OccurrenceRuleAtMaxPoints_IsWhenThePointsActuallyDrop()
    {
        var model = Some.Model("""{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open", "within": "30d"}}""");
        var events = Some.Events("email_open", 29, 28, 27, 5, 4, 3, 2);

        var card = model.Score(Some.Contact(events));

        card.PointsOf("opens").ShouldBe(10);
        card.NextChangeAt.ShouldBe(Some.Now.AddDays(3));
        model.Score(Some.Contact(events), card.NextChangeAt!.Value).PointsOf("opens").ShouldBe(8);
    }

    [Fact]
    public void NextChangeAt_FutureEvent_IsWhenItHappens()
    {
        var model = Some.Model("""{"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested"}}""");

        var card = model.Score(Some.Contact(Some.Events("demo_requested", -2)));

        card.Points.ShouldBe(0);
        card.NextChangeAt.ShouldBe(Some.Now.AddDays(2));
    }

    [Fact]
    public void NextChangeAt_WithinLastOnAField_IsWhenTheDateLeavesTheWindow()
    {
        var model = Some.ModelWhen("""{"field": "createdAt", "withinLast": "30d"}""");

        var card = model.Score(Some.Contact(("createdAt", Some.Now.AddDays(-10))));

        card.NextChangeAt.ShouldBe(Some.Now.AddDays(20));
    }

    [Fact]
    public void NextChangeAt_WithinLastDateAlreadyOutOfTheWindow_IsNull()
    {
        var model = Some.ModelWhen("""{"field": "createdAt", "withinLast": "30d"}""");

        var card = model.Score(Some.Contact(("createdAt", Some.Now.AddDays(-40))));

        card.NextChangeAt.ShouldBeNull();
    }

    [Fact]
    public void NextChangeAt_WithinLastDateInTheFuture_IsWhenItArrives()
    {
        var model = Some.ModelWhen("""{"field": "createdAt", "withinLast": "30d"}""");

        var card = model.Score(Some.Contact(("createdAt", Some.Now.AddDays(3))));

        card.NextChangeAt.ShouldBe(Some.Now.AddDays(3));
    }

    [Fact]
    public void NextChangeAt_HalfLife_IsWhenTheRuleHasLostHalfAPoint()
    {
        var model = Some.Model("""{"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested"}, "decay": {"halfLife": "30d"}}""");
        var events = Some.Events("demo_requested", 0);

        var card = model.Score(Some.Contact(events));

        card.NextChangeAt.ShouldNotBeNull();
        card.NextChangeAt.Value.ShouldBeGreaterThan(Some.Now);
        model.Score(Some.Contact(events), card.NextChangeAt.Value).PointsOf("demo").ShouldBe(19.5, tolerance: 1e-6);
    }

    [Fact]
    public void NextChangeAt_AdjustmentThatExpires_IsItsExpiry()
    {
        var model = Some.Model("""{"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}}""");
        var subject = ScoringSubject.ForContact("c1", Some.Fields(), [], [new ScoreAdjustment("fit", 5, "promised budget", Some.Now.AddDays(7))]);

        var card = model.Score(subject);

        card.NextChangeAt.ShouldBe(Some.Now.AddDays(7));
    }

    [Fact]
    public void Compile_ModelWithErrors_Throws()
    {
        var model = new ScoringModel("bad", "bad", RecordKind.Contact, 100, ScoreEncoding.Points,
            [new Category("fit", Dimension.Fit, 50)], [], [], [],
            [new Rule("r", "missing-category", 5, When: new FieldCondition("country", ConditionOperator.Exists, []))],
            [], []);

        var compile = () => CompiledModel.Compile(model);

        compile.ShouldThrow<ArgumentException>().Message.ShouldContain("unknown-category");
    }

    [Fact]
    public void WatchedTypes_AreTheTypesTheModelLooksAt()
    {
        var model = Some.Model(Demo + """, {"key": "r", "category": "fit", "points": 1, "when": {"event": {"type": "webinar_attended"}}}""");

        model.Watched.Types.ShouldBe(["demo_requested", "webinar_attended"], ignoreOrder: true);
    }

    [Fact]
    public void Score_TheSameFieldInSeveralRulesAndCases_IsReadFromEachRecordItself()
    {
        // Each record field is looked up once per record and reused by every rule that tests it: the next
        // record, or one without the field, must never see the last record's value.
        var model = Some.Model("""
            {"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}},
            {"key": "not-retail", "category": "fit", "points": 5, "when": {"field": "INDUSTRY", "neq": "retail"}},
            {"key": "unknown", "category": "fit", "points": 3, "when": {"field": "Industry", "missing": true}}
            """);

        var software = model.Score(Some.Contact(("industry", "Software")));
        var retail = model.Score(Some.Contact(("industry", "retail")));
        var unknown = model.Score(Some.Contact(("country", "US")));

        software.Rules.Select(r => r.Rule).ShouldBe(["software", "not-retail"]);
        retail.Rules.ShouldBeEmpty();
        unknown.Rules.Select(r => r.Rule).ShouldBe(["unknown"]);
    }

    [Fact]
    public void Score_WhereOnAPropertyNamedLikeAField_ReadsTheEventNotTheContact()
    {
        var model = Some.Model("""
            {"key": "us-contact", "category": "fit", "points": 10, "when": {"field": "country", "eq": "US"}},
            {"key": "us-webinar", "category": "engagement", "points": 7, "event": {"type": "webinar_attended", "where": {"field": "country", "eq": "US"}}}
            """);

        var card = model.Score(Some.Contact([Some.Event("webinar_attended", 1, ("country", "DE"))], ("country", "US")));

        card.Rules.Select(r => r.Rule).ShouldBe(["us-contact"]);
    }

    [Fact]
    public void Score_FitRulesFiringForManyRecords_ExplainEachWithTheRulesPoints()
    {
        var model = Some.Model("""{"key": "software", "category": "fit", "points": 10, "critical": true, "when": {"field": "industry", "eq": "software"}}""");

        var cards = Enumerable.Range(0, 3).Select(_ => model.Score(Some.Contact(("industry", "software")))).ToArray();

        cards.ShouldAllBe(card => card.Rules.Length == 1);
        var explained = cards.Select(card => card.Rules[0]).ToArray();
        explained.ShouldAllBe(rule => rule.Rule == "software" && rule.Category == "fit" && rule.Points == 10 && rule.Critical
            && rule.MatchedEvents == 0 && rule.EventIds.IsEmpty && !rule.CappedAtMax);
    }
}
