using LeadScore.Engine.Model;
using LeadScore.Engine.Scoring;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private static ContactPrediction Prediction(string contact, double probability, string tier, double? expectedValue = null) =>
        new(contact, 1, probability, PriorityTiers.Named(tier)!.Value,
            [new PredictionFactor("visited the pricing page 3 times in the last 7 days", 1.5) { Points = 4.2 }, new PredictionFactor("industry is retail", -0.4)],
            expectedValue is null ? null : 10_000, expectedValue is null ? null : 21, expectedValue, Some.Now)
        {
            TierMeaning = $"{tier} tier's meaning",
        };

    [Fact]
    public async Task ReadContactActivity_SaysWhenEachFieldChangedAfterCreation_NotForValuesSetAtCreationOrRewrittenTheSame()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a", ("industry", "saas"), ("stage", "lead"))], Ct);
        Clock.Advance(TimeSpan.FromDays(2));
        var changedAt = Clock.GetUtcNow();
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a", ("industry", "saas"), ("stage", "customer"), ("tag", "called"))], Ct);
        Clock.Advance(TimeSpan.FromDays(1));
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a", ("industry", "saas"), ("stage", "customer"))], Ct);

        var read = new List<ContactActivity>();
        await foreach (var contact in Store.Events.ReadContactActivityAsync(Default, Ct))
        {
            read.Add(contact);
        }

        var times = read.Single().FieldsChangedAt;
        times.Keys.Order(StringComparer.Ordinal).ToArray().ShouldBe(["stage", "tag"], "industry kept its value from creation, so it has no change time");
        times["stage"].ShouldBe(changedAt, "the third write sent the same stage: it keeps the time of the change");
        times["tag"].ShouldBe(changedAt);
    }

    [Fact]
    public async Task ReadContactActivity_GivesEveryContactItsEventsOldestFirstAndItsFirstConversionFromOutcomeOrWonDeal()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a", ("industry", "saas")), Some.Contact("b"), Some.Contact("c")], Ct);
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("co")], Ct);
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d-b", "b", "co"), Some.Deal("d-c", "c", "co")], Ct);
        await IngestAsync(Some.Event("a", "page_view", Some.Now.AddDays(-2)), Some.Event("a", "email_open", Some.Now.AddDays(-9)));
        await Store.Outcomes.RecordOutcomesAsync(Default,
        [
            new OutcomeInput(RecordKind.Contact, "a", OutcomeKind.Converted, Some.Now.AddDays(-1)),
            new OutcomeInput(RecordKind.Deal, "d-b", OutcomeKind.Won, Some.Now.AddDays(-3), 12_500m),
            new OutcomeInput(RecordKind.Deal, "d-c", OutcomeKind.Lost, Some.Now.AddDays(-3), 9_000m),
        ], Ct);

        var read = new List<ContactActivity>();
        await foreach (var contact in Store.Events.ReadContactActivityAsync(Default, Ct))
        {
            read.Add(contact);
        }

        read.Select(c => c.Id).ShouldBe(["a", "b", "c"]);
        read[0].Events.Select(e => e.Type).ShouldBe(["email_open", "page_view"]);
        read[0].Fields["industry"].Text.ShouldBe("saas");
        read[0].ConvertedAt.ShouldBe(Some.Now.AddDays(-1));
        read[0].WonAmount.ShouldBeNull();
        read[1].ConvertedAt.ShouldBe(Some.Now.AddDays(-3));
        read[1].WonAmount.ShouldBe(12_500m);
        read[2].ConvertedAt.ShouldBeNull("a lost deal is not a conversion");
        (await Store.Outcomes.CountConversionsAsync(Default, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task PredictiveModels_AreNumberedVersionsKeptWithTheirFilesAndReport()
    {
        var first = await Store.Predictive.SavePredictiveModelAsync(Default, new PredictiveModelInput(Some.Now, 40, """{"auc":0.81}""", new byte[] { 1, 2, 3 }, null, null), Ct);
        var second = await Store.Predictive.SavePredictiveModelAsync(Default, new PredictiveModelInput(Some.Now.AddDays(10), 55, """{"auc":0.84}""", new byte[] { 4 }, new byte[] { 5, 6 }, null), Ct);

        first.Version.ShouldBe(1);
        second.Version.ShouldBe(2);
        (await Store.Predictive.ListPredictiveModelsAsync(Default, Ct)).Select(v => (v.Version, v.Conversions)).ShouldBe([(2, 55), (1, 40)]);
        var newest = (await Store.Predictive.GetPredictiveModelAsync(Default, null, Ct))!;
        newest.Info.Report.ShouldBe("""{"auc":0.84}""");
        newest.ConversionModel.ToArray().ShouldBe(new byte[] { 4 });
        newest.AmountModel!.Value.ToArray().ShouldBe(new byte[] { 5, 6 });
        newest.DaysModel.ShouldBeNull();
        (await Store.Predictive.GetPredictiveModelAsync(Default, 1, Ct))!.ConversionModel.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        (await Store.Predictive.GetPredictiveModelAsync(Default, 3, Ct)).ShouldBeNull();
        (await Store.Predictive.ListPredictiveModelsAsync(new WorkspaceId("other"), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ReplacePredictions_KeepsOnlyTheNewOnesAndCountsTierChanges()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a"), Some.Contact("b"), Some.Contact("c")], Ct);
        await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("a", 0.2, "medium"), Prediction("b", 0.6, "very high")], Ct);

        var write = await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("a", 0.7, "very high"), Prediction("c", 0.1, "low"), Prediction("gone", 0.9, "very high")], Ct);

        write.ShouldBe(new PredictionWrite(2, 1, 1));
        (await Store.Predictive.GetPredictionAsync(Default, "b", Ct)).ShouldBeNull();
        (await Store.Predictive.GetPredictionAsync(Default, "gone", Ct)).ShouldBeNull("a contact that does not exist gets no prediction");
        var a = (await Store.Predictive.GetPredictionAsync(Default, "a", Ct))!;
        a.Percent.ShouldBe(70);
        a.Tier.ShouldBe(PriorityTier.VeryHigh);
        a.Factors.Select(f => f.Text).ShouldBe(["visited the pricing page 3 times in the last 7 days", "industry is retail"]);
        a.Factors[1].Weight.ShouldBe(-0.4);
        a.Factors.Select(f => f.Points).ShouldBe([4.2, null], "a reason written without its size reads as none");
        a.TierMeaning.ShouldBe("very high tier's meaning");
    }

    [Fact]
    public async Task ListPredictions_GivesEveryOpenContactsPredictionInIdOrderForItsWorkspaceOnly()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("b"), Some.Contact("a"), Some.Contact("c")], Ct);
        await Store.Workspaces.EnsureWorkspaceAsync(new WorkspaceId("other"), "Other", Ct);
        await Store.Records.UpsertContactsAsync(new WorkspaceId("other"), [Some.Contact("z")], Ct);
        await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("c", 0.1, "low"), Prediction("a", 0.7, "very high"), Prediction("b", 0.4, "high")], Ct);
        await Store.Predictive.ReplacePredictionsAsync(new WorkspaceId("other"), [Prediction("z", 0.5, "high")], Ct);
        await Store.Outcomes.RecordOutcomesAsync(Default, [new OutcomeInput(RecordKind.Contact, "b", OutcomeKind.Converted, Some.Now)], Ct);

        var listed = await Store.Predictive.ListPredictionsAsync(Default, Ct).ToListAsync(Ct);

        listed.Select(p => (p.ContactId, p.Percent, PriorityTiers.Name(p.Tier))).ShouldBe([("a", 70, "very high"), ("c", 10, "low")], "b converted: it is no longer predicted");
        listed[0].Factors.Select(f => f.Text).ShouldBe(["visited the pricing page 3 times in the last 7 days", "industry is retail"]);
    }

    [Fact]
    public async Task Predictions_LeaveWhenTheContactConvertsWinsADealOrIsErased()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a"), Some.Contact("b"), Some.Contact("c"), Some.Contact("d")], Ct);
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("co")], Ct);
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("deal-b", "b", "co")], Ct);
        await Store.Predictive.ReplacePredictionsAsync(Default, [.. new[] { "a", "b", "c", "d" }.Select(id => Prediction(id, 0.5, "high"))], Ct);

        await Store.Outcomes.RecordOutcomesAsync(Default,
            [new OutcomeInput(RecordKind.Contact, "a", OutcomeKind.Converted, Some.Now), new OutcomeInput(RecordKind.Deal, "deal-b", OutcomeKind.Won, Some.Now, 100m)], Ct);
        await Store.Records.EraseRecordAsync(Default, RecordKind.Contact, "c", Ct);

        (await Store.Predictive.GetPredictionAsync(Default, "a", Ct)).ShouldBeNull();
        (await Store.Predictive.GetPredictionAsync(Default, "b", Ct)).ShouldBeNull();
        (await Store.Predictive.GetPredictionAsync(Default, "c", Ct)).ShouldBeNull();
        (await Store.Predictive.GetPredictionAsync(Default, "d", Ct)).ShouldNotBeNull();
    }

    [Theory]
    [InlineData(LeadSort.ProbabilityDescending)]
    [InlineData(LeadSort.ExpectedValueDescending)]
    public async Task ListLeads_ByPrediction_PagesInThatOrderWithUnpredictedLeadsLast(LeadSort sort)
    {
        await ArrangeLeadsAsync();
        // l01..l09 predicted, with ties (l02 = l03); l10..l12 have no prediction.
        double[] probabilities = [0.10, 0.55, 0.55, 0.30, 0.90, 0.05, 0.70, 0.20, 0.40];
        await Store.Predictive.ReplacePredictionsAsync(Default,
            [.. probabilities.Select((p, i) => Prediction($"l{i + 1:00}", p, p >= 0.5 ? "high" : "low", expectedValue: p * 10_000))], Ct);

        var leads = await AllLeadsAsync(new LeadQuery("m") { Sort = sort, Limit = 2 });

        leads.Select(l => l.RecordId).ShouldBe(["l05", "l07", "l02", "l03", "l09", "l04", "l08", "l01", "l06", "l10", "l11", "l12"]);
        leads[0].Prediction!.Percent.ShouldBe(90);
        leads[0].Prediction!.ExpectedValue.ShouldBe(9_000);
        leads[^1].Prediction.ShouldBeNull();
    }

    [Fact]
    public async Task ListLeads_ByTier_ReturnsThatTierOnly()
    {
        await ArrangeLeadsAsync();
        await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("l01", 0.8, "very high"), Prediction("l02", 0.1, "low"), Prediction("l03", 0.9, "very high")], Ct);

        var leads = await AllLeadsAsync(new LeadQuery("m") { Tier = PriorityTier.VeryHigh, Sort = LeadSort.RecordId, Limit = 10 });

        leads.Select(l => l.RecordId).ShouldBe(["l01", "l03"]);
    }

    [Fact]
    public async Task ListLeads_ByPredictionUnderADealModel_IsRefusedWithAReason()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a")], Ct);
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("co")], Ct);
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "a", "co", ("amount", 10))], Ct);
        await PublishAsync(Some.Model(Some.SeniorRule, "deals", "deal"));

        var page = await Store.Leads.ListLeadsAsync(Default, new LeadQuery("deals") { Sort = LeadSort.ProbabilityDescending }, Ct);

        page.Succeeded.ShouldBeFalse();
        page.Error!.Code.ShouldBe("not-predicted");
        page.Error.Message.ShouldContain("contacts only");
    }

    [Fact]
    public async Task TrainingLease_IsHeldByOneHolderUntilReleasedOrRunOut()
    {
        (await Store.Predictive.TryLeasePredictiveTrainingAsync(Default, "one", TimeSpan.FromMinutes(10), Ct)).ShouldBeTrue();
        (await Store.Predictive.TryLeasePredictiveTrainingAsync(Default, "two", TimeSpan.FromMinutes(10), Ct)).ShouldBeFalse();
        (await Store.Predictive.TryLeasePredictiveTrainingAsync(Default, "one", TimeSpan.FromMinutes(10), Ct)).ShouldBeTrue("the holder renews its own lease");

        Clock.Advance(TimeSpan.FromMinutes(11));
        (await Store.Predictive.TryLeasePredictiveTrainingAsync(Default, "two", TimeSpan.FromMinutes(10), Ct)).ShouldBeTrue("a lease that ran out is free");

        await Store.Predictive.ReleasePredictiveTrainingAsync(Default, "two", Ct);
        (await Store.Predictive.TryLeasePredictiveTrainingAsync(Default, "one", TimeSpan.FromMinutes(10), Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task PredictiveSettings_AreKeptPerWorkspace()
    {
        (await Store.Predictive.GetPredictiveSettingsAsync(Default, Ct)).ShouldBeNull();

        await Store.Predictive.SavePredictiveSettingsAsync(Default, """{"horizonDays":30}""", Ct);
        await Store.Predictive.SavePredictiveSettingsAsync(Default, """{"horizonDays":45}""", Ct);

        (await Store.Predictive.GetPredictiveSettingsAsync(Default, Ct)).ShouldBe("""{"horizonDays":45}""");
        (await Store.Workspaces.ListWorkspacesAsync(Ct)).ShouldContain(Default);
    }

    [Fact]
    public async Task PriorityChanged_RunsOnceWhenAContactEntersTheTier_AndApplyToExistingCatchesThoseAlreadyThere()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("a"), Some.Contact("b"), Some.Contact("c")], Ct);
        await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("c", 0.9, "very high")], Ct);
        var saved = await Store.Automations.SaveAutomationAsync(Default, null, """
            {"name": "Hot now", "trigger": {"type": "priority-changed", "to": "very high"}, "actions": [{"type": "add-tag", "tag": "hot"}]}
            """, applyToExisting: true, Ct);
        saved.Value!.Saved.ShouldBeTrue(string.Join("; ", saved.Value.Errors));

        var first = await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("a", 0.8, "very high"), Prediction("b", 0.3, "medium"), Prediction("c", 0.9, "very high")], Ct);
        var again = await Store.Predictive.ReplacePredictionsAsync(Default, [Prediction("a", 0.85, "very high"), Prediction("b", 0.3, "medium"), Prediction("c", 0.9, "very high")], Ct);

        first.AutomationsRan.ShouldBe(1, "a entered very high; c was there already");
        again.AutomationsRan.ShouldBe(0);
        foreach (var (id, tagged) in new[] { ("a", true), ("b", false), ("c", true) })
        {
            var contact = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, id, Ct))!;
            contact.Fields.ContainsKey("tag.hot").ShouldBe(tagged, id);
        }

        var runs = await Store.Automations.ListAutomationRunsAsync(Default, null, "a", null, 10, Ct);
        runs.Value!.Items.ShouldHaveSingleItem().Trigger.ShouldBe("priority-changed none to very high");
    }
}
