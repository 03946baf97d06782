using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    /// <summary>Composite scores: segment 2 from 100 employees (else 1), 2 points per open, MQL at 10 points, SQL at 20.</summary>
    private static readonly string LeadsModel = """
        {"key": "m", "target": "contact", "scale": 100, "encoding": "composite",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50},
                        {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "segment": [{"digit": 2, "when": {"field": "employees", "gte": 100}}, {"digit": 1, "when": {"field": "employees", "gte": 0}}],
         "rules": [{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 40, "event": {"type": "email_open"}},
                   {"key": "senior", "category": "fit", "points": 15, "when": {"field": "jobTitle", "contains": "VP"}}],
         "thresholds": [{"key": "mql", "points": 10}, {"key": "sql", "points": 20}],
         "grades": [{"grade": "A", "min": 20}, {"grade": "B", "min": 10}, {"grade": "C", "min": 0}]}
        """;

    /// <summary>Twelve contacts, l01 to l12: opens 0 to 5 twice over (so every score is tied once), even ones at big companies.</summary>
    private async Task ArrangeLeadsAsync()
    {
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(1, 12).Select(i => Some.Contact($"l{i:00}", ("employees", i % 2 == 0 ? 500 : 20)))], Ct);
        await PublishAsync(LeadsModel);
        foreach (var i in Enumerable.Range(1, 12))
        {
            var opens = (i - 1) % 6;
            if (opens > 0)
            {
                Clock.Advance(TimeSpan.FromMinutes(1));
                await IngestAsync(Some.Events($"l{i:00}", "email_open", opens));
            }
        }
    }

    private async Task<List<StoredScore>> AllLeadsAsync(LeadQuery query)
    {
        var leads = new List<StoredScore>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await Store.Leads.ListLeadsAsync(Default, query with { Cursor = cursor }, Ct);
            page.Succeeded.ShouldBeTrue(page.Error?.ToString());
            page.Value.Items.Count.ShouldBeLessThanOrEqualTo(query.Limit);
            leads.AddRange(page.Value.Items);
            cursor = page.Value.NextCursor;
            (++pages).ShouldBeLessThan(100);
        }
        while (cursor is not null);

        return leads;
    }

    [Theory]
    [InlineData(LeadSort.ScoreDescending)]
    [InlineData(LeadSort.ScoreAscending)]
    [InlineData(LeadSort.RecentlyScored)]
    [InlineData(LeadSort.RecordId)]
    public async Task ListLeads_PagesOfThree_ReturnEveryLeadOnceInSortOrderWithTiesById(LeadSort sort)
    {
        await ArrangeLeadsAsync();
        var scores = await ListScoresAsync("m");
        IEnumerable<StoredScore> expected = sort switch
        {
            LeadSort.ScoreDescending => scores.OrderByDescending(s => s.Score).ThenBy(s => s.RecordId, StringComparer.Ordinal),
            LeadSort.ScoreAscending => scores.OrderBy(s => s.Score).ThenBy(s => s.RecordId, StringComparer.Ordinal),
            LeadSort.RecentlyScored => scores.OrderByDescending(s => s.ScoredAt).ThenBy(s => s.RecordId, StringComparer.Ordinal),
            _ => scores.OrderBy(s => s.RecordId, StringComparer.Ordinal),
        };

        var leads = await AllLeadsAsync(new LeadQuery("m") { Sort = sort, Limit = 3 });

        scores.Count.ShouldBe(12);
        leads.Select(l => l.RecordId).ShouldBe(expected.Select(s => s.RecordId));
    }

    [Fact]
    public async Task ListLeads_ByGrade_ReturnsThatGradeOnly()
    {
        await ArrangeLeadsAsync();

        var leads = await AllLeadsAsync(new LeadQuery("m") { Grade = "B", Limit = 2 });

        // Five opens (10 points) is the most anyone has, and grade B starts there: l06 and l12, tied.
        leads.Select(l => l.RecordId).ShouldBe(["l06", "l12"]);
        leads.ShouldAllBe(l => l.Grade == "B");
    }

    [Fact]
    public async Task ListLeads_ByThreshold_MatchesWholeNamesOnly()
    {
        await ArrangeLeadsAsync();

        var mql = await AllLeadsAsync(new LeadQuery("m") { Threshold = "mql" });
        var partial = await AllLeadsAsync(new LeadQuery("m") { Threshold = "ql" });
        var wildcard = await AllLeadsAsync(new LeadQuery("m") { Threshold = "%" });

        mql.Select(l => l.RecordId).ShouldBe(["l06", "l12"]);
        partial.ShouldBeEmpty();
        wildcard.ShouldBeEmpty();
    }

    [Fact]
    public async Task ListLeads_BySegment_ReturnsScoresOfThatThousand()
    {
        await ArrangeLeadsAsync();

        var big = await AllLeadsAsync(new LeadQuery("m") { Segment = 2 });
        var small = await AllLeadsAsync(new LeadQuery("m") { Segment = 1, Sort = LeadSort.RecordId });

        big.Select(l => l.RecordId).ShouldBe(["l06", "l12", "l04", "l10", "l02", "l08"]);
        big.ShouldAllBe(l => l.Score >= 2000 && l.Score <= 2999);
        small.Select(l => l.RecordId).ShouldBe(["l01", "l03", "l05", "l07", "l09", "l11"]);
    }

    [Fact]
    public async Task ListLeads_UnknownOrUnpublishedModel_FailsNamingTheKey()
    {
        await Store.Models.SaveModelAsync(Default, Some.OpensModel("draft"), Ct);

        var unknown = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("nope"), Ct);
        var draft = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("draft"), Ct);

        unknown.Error.ShouldNotBeNull().Code.ShouldBe("unknown-model");
        unknown.Error.Message.ShouldContain("'nope'");
        draft.Error.ShouldNotBeNull().Code.ShouldBe("unknown-model");
    }

    [Fact]
    public async Task ListLeads_CursorOfAnotherSortOrGarbage_FailsWithInvalidCursor()
    {
        await ArrangeLeadsAsync();
        var first = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("m") { Limit = 2 }, Ct);
        var records = await Store.Records.ListRecordsAsync(Default, RecordKind.Contact, null, 2, Ct);

        var otherSort = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("m") { Sort = LeadSort.RecordId, Cursor = first.Value!.NextCursor }, Ct);
        var recordCursor = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("m") { Cursor = records.Value!.NextCursor }, Ct);
        var garbage = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("m") { Cursor = "%%%" }, Ct);

        otherSort.Error.ShouldNotBeNull().Code.ShouldBe("invalid-cursor");
        recordCursor.Error.ShouldNotBeNull().Code.ShouldBe("invalid-cursor");
        garbage.Error.ShouldNotBeNull().Code.ShouldBe("invalid-cursor");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(LeadQuery.MaxLimit + 1)]
    public async Task ListLeads_LimitOutOfRange_FailsWithInvalidLimit(int limit)
    {
        await PublishAsync(Some.OpensModel());

        var page = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("m") { Limit = limit }, Ct);

        page.Error.ShouldNotBeNull().Code.ShouldBe("invalid-limit");
    }

    [Fact]
    public async Task ListLeads_OfAContactModel_SayWhoEachLeadIsAndWhatItLastDid()
    {
        await Store.Records.UpsertContactsAsync(Default,
        [
            Some.Contact("named", ("firstName", "Ada"), ("lastName", "Lovelace"), ("email", "ada@example.com"), ("company", "Analytical"), ("owner", "grace")),
            Some.Contact("bare"),
        ], Ct);
        await PublishAsync(LeadsModel);
        await IngestAsync(Some.Event("named", "email_open", Some.Now.AddDays(-3)), Some.Event("named", "page_view", Some.Now.AddDays(-1)));

        var leads = await AllLeadsAsync(new LeadQuery("m") { Sort = LeadSort.RecordId });

        var named = leads.Single(l => l.RecordId == "named").Contact.ShouldNotBeNull();
        named.ShouldBe(new LeadContact("Ada Lovelace", "ada@example.com", "Analytical", "grace", Some.Now.AddDays(-1), "page_view"));
        leads.Single(l => l.RecordId == "bare").Contact.ShouldBe(new LeadContact(null, null, null, null, null, null));
    }

    /// <summary>Adults meet the requirement, a competitor is disqualified, 10 points per open.</summary>
    private static readonly string PriorityModel = """
        {"key": "p", "target": "contact", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
         "disqualifiers": [{"key": "competitor", "when": {"field": "company", "eq": "Rival"}}],
         "rules": [{"key": "opens", "category": "engagement", "points": 10, "per": "occurrence", "maxPoints": 50, "event": {"type": "email_open"}}]}
        """;

    /// <summary>
    /// Open leads of every kind, a customer (converted outcome), a buyer (a won deal of its own) and a
    /// competitor (disqualified), all engaged: the customers score as high as anyone.
    /// </summary>
    private async Task ArrangePriorityAsync()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("co")], Ct);
        await Store.Records.UpsertContactsAsync(Default,
        [
            Some.Contact("q-low", ("age", 30)), Some.Contact("q-high", ("age", 30)), Some.Contact("q-tie-a", ("age", 30)), Some.Contact("q-tie-b", ("age", 30)),
            Some.Contact("minor", ("age", 12)), Some.Contact("customer", ("age", 30)), Some.Contact("buyer", ("age", 30)),
            Some.Contact("rival", ("age", 30), ("company", "Rival")),
        ], Ct);
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d-buyer", "buyer", "co")], Ct);
        await PublishAsync(PriorityModel);
        foreach (var (id, opens) in new[] { ("q-low", 1), ("q-high", 3), ("q-tie-a", 2), ("q-tie-b", 2), ("minor", 5), ("customer", 5), ("buyer", 4), ("rival", 5) })
        {
            await IngestAsync(Some.Events(id, "email_open", opens));
        }

        await Store.Outcomes.RecordOutcomesAsync(Default,
        [
            new OutcomeInput(RecordKind.Contact, "customer", OutcomeKind.Converted, Some.Now.AddDays(-1)),
            new OutcomeInput(RecordKind.Deal, "d-buyer", OutcomeKind.Won, Some.Now.AddDays(-2), 5_000m),
        ], Ct);
        await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("q-tie-a", 0.2, "medium"), Prediction("q-tie-b", 0.6, "high"), Prediction("q-low", 0.9, "very high")], Ct);
    }

    [Fact]
    public async Task ListLeads_ByDefault_AreTheOpenLeadsQualifiedFirstThenByPointsThenByProbability()
    {
        await ArrangePriorityAsync();

        var leads = await AllLeadsAsync(new LeadQuery("p") { Limit = 2 });

        // The minor has the most points but misses a requirement; the customers and the competitor are not whom to call.
        leads.Select(l => l.RecordId).ShouldBe(["q-high", "q-tie-b", "q-tie-a", "q-low", "minor"]);
        leads.ShouldAllBe(l => l.Status == LeadStatus.Open);
    }

    [Fact]
    public async Task ListLeads_AskedForEveryStatus_ListsCustomersAndTheDisqualifiedMarkedAsSuch()
    {
        await ArrangePriorityAsync();

        var every = await AllLeadsAsync(new LeadQuery("p") { Statuses = LeadStatuses.Every, Sort = LeadSort.RecordId, Limit = 3 });
        var customers = await AllLeadsAsync(new LeadQuery("p") { Statuses = LeadStatuses.FilterNamed("converted, disqualified")!, Sort = LeadSort.RecordId });

        every.ToDictionary(l => l.RecordId, l => l.Status).ShouldBe(new Dictionary<string, LeadStatus?>
        {
            ["buyer"] = LeadStatus.Converted,
            ["customer"] = LeadStatus.Converted,
            ["minor"] = LeadStatus.Open,
            ["q-high"] = LeadStatus.Open,
            ["q-low"] = LeadStatus.Open,
            ["q-tie-a"] = LeadStatus.Open,
            ["q-tie-b"] = LeadStatus.Open,
            ["rival"] = LeadStatus.Disqualified,
        });
        customers.Select(l => l.RecordId).ShouldBe(["buyer", "customer", "rival"]);
        LeadStatuses.FilterNamed("open,customer").ShouldBeNull();
    }

    [Fact]
    public async Task ListLeads_ALeadWithoutAPrediction_SaysWhy()
    {
        await ArrangePriorityAsync();
        var before = (await AllLeadsAsync(new LeadQuery("p") { Statuses = LeadStatuses.Every, Sort = LeadSort.RecordId })).ToDictionary(l => l.RecordId);
        await Store.Predictive.SavePredictiveModelAsync(Default, new PredictiveModelInput(Clock.GetUtcNow(), 40, """{"auc":0.8}""", new byte[] { 1 }, null, null), Ct);
        Clock.Advance(TimeSpan.FromHours(1));
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("late", ("age", 40))], Ct);

        var after = (await AllLeadsAsync(new LeadQuery("p") { Statuses = LeadStatuses.Every, Sort = LeadSort.RecordId })).ToDictionary(l => l.RecordId);

        before["q-high"].NoPrediction.ShouldBe(MissingPrediction.NoModelYet);
        before["customer"].NoPrediction.ShouldBe(MissingPrediction.ConvertedAlready);
        after["q-high"].NoPrediction.ShouldBe(MissingPrediction.NotPredicted);
        after["late"].NoPrediction.ShouldBe(MissingPrediction.CreatedAfterTraining);
        after["buyer"].NoPrediction.ShouldBe(MissingPrediction.ConvertedAlready);
        (after["q-tie-b"].Prediction, after["q-tie-b"].NoPrediction).ShouldBe((after["q-tie-b"].Prediction.ShouldNotBeNull(), null));
    }
}
