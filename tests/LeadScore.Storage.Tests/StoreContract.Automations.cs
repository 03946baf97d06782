using System.Text.Json;
using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    /// <summary>2 points per open (at most 20), 15 for a hot tag; MQL at 10 points, grades A from 20, B from 10.</summary>
    private const string FunnelModel = """
        {"key": "m", "target": "contact", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "rules": [{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 20, "event": {"type": "email_open"}},
                   {"key": "hot", "category": "fit", "points": 15, "when": {"field": "tag.hot", "eq": true}}],
         "thresholds": [{"key": "mql", "points": 10}, {"key": "sql", "points": 30}],
         "grades": [{"grade": "A", "min": 20}, {"grade": "B", "min": 10}]}
        """;

    private static string Automation(string trigger, string actions, string? conditions = null, string model = "\"m\"") =>
        $$"""{"name": "test", "model": {{model}}, "trigger": {{trigger}}, {{(conditions is null ? "" : $"\"conditions\": {conditions},")}} "actions": [{{actions}}]}""";

    private const string AboveMql = """{"type": "score-above", "threshold": "mql"}""";
    private const string TagHot = """{"type": "add-tag", "tag": "hot"}""";
    private const string Hook = """{"type": "webhook", "url": "https://hooks.example.com/mql"}""";

    private async Task<Automation> CreateAutomationAsync(string json, bool applyToExisting = false)
    {
        var saved = await Store.Automations.SaveAutomationAsync(Default, null, json, applyToExisting, Ct);
        saved.Succeeded.ShouldBeTrue(saved.Error?.ToString());
        saved.Value.Errors.ShouldBeEmpty();
        return saved.Value.Automation.ShouldNotBeNull();
    }

    private async Task<IReadOnlyList<AutomationRun>> RunsAsync(string? automationId = null, string? contactId = null) =>
        (await Store.Automations.ListAutomationRunsAsync(Default, automationId, contactId, null, 500, Ct)).Value!.Items;

    private async Task<IReadOnlyList<Delivery>> DeliveriesAsync(DeliveryQuery? query = null) =>
        (await Store.Deliveries.ListDeliveriesAsync(Default, query ?? new DeliveryQuery(), Ct)).Value!.Items;

    [Fact]
    public async Task Automation_ScoreCrossesThreshold_FiresOnceWhateverElseChanges()
    {
        await PublishAsync(FunnelModel);
        var automation = await CreateAutomationAsync(Automation(AboveMql, Hook));

        await IngestAsync(Some.Events("c1", "email_open", 4));
        var before = await RunsAsync();
        await IngestAsync(Some.Events("c1", "email_open", 1));
        await IngestAsync(Some.Events("c1", "email_open", 3));
        await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP Sales")));

        before.ShouldBeEmpty();
        var run = (await RunsAsync()).ShouldHaveSingleItem();
        (run.AutomationId, run.ContactId, run.ScoreBefore, run.ScoreAfter).ShouldBe((automation.Id, "c1", 8, 10));
        var delivery = (await DeliveriesAsync()).ShouldHaveSingleItem();
        (delivery.State, delivery.ContactId, delivery.Url.ToString()).ShouldBe((DeliveryState.Pending, "c1", "https://hooks.example.com/mql"));
        using var payload = JsonDocument.Parse(delivery.Payload);
        payload.RootElement.GetProperty("deliveryId").GetString().ShouldBe(delivery.Id);
        payload.RootElement.GetProperty("before").GetProperty("points").GetInt32().ShouldBe(8);
        payload.RootElement.GetProperty("after").GetProperty("thresholds")[0].GetString().ShouldBe("mql");
        payload.RootElement.GetProperty("explanation").GetProperty("score").GetInt32().ShouldBe(10);
        payload.RootElement.GetProperty("contact").GetProperty("id").GetString().ShouldBe("c1");
    }

    [Fact]
    public async Task Automation_CrossesFallsBackAndCrossesAgain_FiresTwiceAndTheFallOnce()
    {
        await UpsertAsync(Some.Contact("c1"));
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql, TagHot.Replace("hot", "was-mql", StringComparison.Ordinal)));
        var below = await CreateAutomationAsync(Automation("""{"type": "score-below", "threshold": "mql"}""", """{"type": "add-to-list", "list": "nurture"}"""));

        await IngestAsync(Some.Events("c1", "email_open", 5));
        await Store.Scores.AddAdjustmentAsync(Default, new AdjustmentInput("c1", "m", "engagement", -4, "went quiet"), Ct);
        await IngestAsync(Some.Events("c1", "email_open", 2));

        var runs = await RunsAsync();
        runs.Count(r => r.AutomationId == below.Id).ShouldBe(1);
        runs.Count(r => r.AutomationId != below.Id).ShouldBe(2);
        var contact = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull();
        contact.Fields["tag.was-mql"].Text.ShouldBe("true");
        contact.Fields["list.nurture"].HasDate.ShouldBeTrue();
    }

    [Fact]
    public async Task Automation_TagAction_IsScoredInTheSameTransaction()
    {
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql, TagHot));

        await IngestAsync(Some.Events("c1", "email_open", 5));

        var score = (await ScoreAsync("c1")).ShouldNotBeNull();
        score.Points.ShouldBe(25);
        (await HistoryAsync("c1")).Last().Cause.ShouldBe(ScoreChangeCause.Automation);
    }

    [Fact]
    public async Task Automation_ConditionsOnFields_SkipContactsThatDoNotMatch()
    {
        await UpsertAsync(Some.Contact("de", ("country", "DE")), Some.Contact("us", ("country", "US")));
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql, TagHot, """{"field": "country", "in": ["DE", "AT"]}"""));

        await IngestAsync([.. Some.Events("de", "email_open", 5), .. Some.Events("us", "email_open", 5)]);

        (await RunsAsync()).ShouldHaveSingleItem().ContactId.ShouldBe("de");
    }

    [Fact]
    public async Task Automation_LifecycleAndRoundRobinOwner_AreKeptOnTheContact()
    {
        await UpsertAsync(Some.Contact("c1"), Some.Contact("c2"), Some.Contact("c3"), Some.Contact("c4", ("owner", "zoe")));
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql,
            """{"type": "set-lifecycle-stage", "stage": "mql"}, {"type": "assign-owner", "roundRobin": ["ana", "ben"]}"""));

        foreach (var id in new[] { "c1", "c2", "c3", "c4" })
        {
            await IngestAsync(Some.Events(id, "email_open", 5));
        }

        var owners = new List<string>();
        foreach (var id in new[] { "c1", "c2", "c3", "c4" })
        {
            var fields = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, id, Ct)).ShouldNotBeNull().Fields;
            fields["lifecycleStage"].Text.ShouldBe("mql");
            fields["lifecycle.mql"].UtcTicks.ShouldBe(Some.Now.UtcTicks);
            owners.Add(fields["owner"].Text);
        }

        owners.ShouldBe(["ana", "ben", "ana", "zoe"]);
    }

    [Fact]
    public async Task Automation_FieldsItSets_TakeTheirChangeTime_ForTheLeakageCheck()
    {
        await UpsertAsync(Some.Contact("c1", ("owner", "zoe")));
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql, """{"type": "set-lifecycle-stage", "stage": "mql"}, {"type": "assign-owner", "roundRobin": ["ana"]}"""));
        Clock.Advance(TimeSpan.FromHours(3));

        await IngestAsync(Some.Events("c1", "email_open", 5));

        ContactActivity? read = null;
        await foreach (var contact in Store.Events.ReadContactActivityAsync(Default, Ct))
        {
            read = contact;
        }

        var times = read.ShouldNotBeNull().FieldsChangedAt;
        times["lifecycleStage"].ShouldBe(Clock.GetUtcNow());
        times.ContainsKey("owner").ShouldBeFalse("the owner was kept: only what the actions changed takes a time");
    }

    [Fact]
    public async Task Automation_OwnerByField_MapsTheValueOrFallsBack()
    {
        await UpsertAsync(Some.Contact("eu", ("region", "EMEA")), Some.Contact("x", ("region", "APAC")));
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql,
            """{"type": "assign-owner", "byField": "region", "owners": {"emea": "ana"}, "otherwise": "desk"}"""));

        await IngestAsync([.. Some.Events("eu", "email_open", 5), .. Some.Events("x", "email_open", 5)]);

        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "eu", Ct)).ShouldNotBeNull().Fields["owner"].Text.ShouldBe("ana");
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "x", Ct)).ShouldNotBeNull().Fields["owner"].Text.ShouldBe("desk");
    }

    [Fact]
    public async Task Automation_AdjustScore_AddsPointsWithTheReason()
    {
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation("""{"type": "event-received", "eventType": "demo_requested"}""",
            """{"type": "adjust-score", "category": "engagement", "points": 12, "reason": "asked for a demo", "expiresAfter": "30d"}"""));

        var events = new[] { Some.Event("c1", "demo_requested") };
        await IngestAsync(events);
        await IngestAsync(events);

        var score = (await ScoreAsync("c1")).ShouldNotBeNull();
        score.Points.ShouldBe(12);
        score.NextChangeAt.ShouldBe(Some.Now.AddDays(30));
        (await RunsAsync()).ShouldHaveSingleItem().CauseId.ShouldBe(events[0].Id);
    }

    [Fact]
    public async Task Automation_GradeRequirementsAndDisqualifier_FireOnTheirTransitions()
    {
        await PublishAsync("""
            {"key": "m", "target": "contact", "scale": 100, "encoding": "points",
             "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
             "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
             "disqualifiers": [{"key": "competitor", "when": {"field": "company", "eq": "Rival"}}],
             "rules": [{"key": "opens", "category": "engagement", "points": 10, "per": "occurrence", "maxPoints": 50, "event": {"type": "email_open"}}],
             "grades": [{"grade": "A", "min": 20}, {"grade": "B", "min": 10}]}
            """);
        var toA = await CreateAutomationAsync(Automation("""{"type": "grade-changed", "to": "A"}""", TagHot));
        var met = await CreateAutomationAsync(Automation("""{"type": "requirements-met"}""", TagHot));
        var out_ = await CreateAutomationAsync(Automation("""{"type": "disqualified"}""", TagHot));

        await IngestAsync(Some.Events("c1", "email_open", 1));
        await IngestAsync(Some.Events("c1", "email_open", 1));
        await UpsertAsync(Some.Contact("c1", ("age", 30)));
        await UpsertAsync(Some.Contact("c1", ("age", 30), ("company", "Rival")));

        var runs = await RunsAsync();
        runs.Count(r => r.AutomationId == toA.Id).ShouldBe(1);
        runs.Count(r => r.AutomationId == met.Id).ShouldBe(1);
        runs.Count(r => r.AutomationId == out_.Id).ShouldBe(1);
    }

    [Fact]
    public async Task Automation_ApplyToExisting_RunsOnceForLeadsAlreadyAbove()
    {
        await PublishAsync(FunnelModel);
        await IngestAsync([.. Some.Events("hot", "email_open", 6), .. Some.Events("cold", "email_open", 1)]);

        var quiet = await CreateAutomationAsync(Automation(AboveMql, TagHot.Replace("hot", "a", StringComparison.Ordinal)));
        var saved = await Store.Automations.SaveAutomationAsync(Default, null, Automation(AboveMql, Hook), applyToExisting: true, Ct);
        await IngestAsync(Some.Events("hot", "email_open", 1));

        saved.Value!.AppliedToExisting.ShouldBe(1);
        (await RunsAsync(quiet.Id)).ShouldBeEmpty();
        var run = (await RunsAsync(saved.Value.Automation!.Id)).ShouldHaveSingleItem();
        (run.ContactId, run.Trigger).ShouldBe(("hot", "apply-to-existing"));
        (await DeliveriesAsync()).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("""{"name": "x", "model": "m", "trigger": {"type": "score-above", "threshold": "hot"}, "actions": [{"type": "add-tag", "tag": "a"}]}""", "$.trigger.threshold")]
    [InlineData("""{"name": "x", "trigger": {"type": "score-above", "threshold": "mql"}, "actions": [{"type": "add-tag", "tag": "a"}]}""", "$.model")]
    [InlineData("""{"name": "x", "model": "nope", "trigger": {"type": "disqualified"}, "actions": [{"type": "add-tag", "tag": "a"}]}""", "$.model")]
    [InlineData("""{"name": "x", "model": "m", "trigger": {"type": "disqualified"}, "conditions": {"event": {"type": "x"}}, "actions": [{"type": "add-tag", "tag": "a"}]}""", "$.conditions.event")]
    [InlineData("""{"name": "x", "model": "m", "trigger": {"type": "disqualified"}, "actions": [{"type": "webhook", "url": "ftp://x"}]}""", "$.actions[0].url")]
    [InlineData("""{"name": "x", "model": "m", "trigger": {"type": "disqualified"}, "actions": [{"type": "send-fax"}]}""", "$.actions[0].type")]
    [InlineData("""{"name": "x", "model": "m", "trigger": {"type": "disqualified"}, "actions": [{"type": "adjust-score", "category": "vibes", "points": 5, "reason": "r"}]}""", "$.actions[0].category")]
    [InlineData("""{"name": "x", "model": "m", "trigger": {"type": "priority-changed", "to": "urgent"}, "actions": [{"type": "add-tag", "tag": "a"}]}""", "$.trigger.to")]
    [InlineData("""{"name": "x", "model": "m", "trigger": {"type": "disqualified"}, "actions": [{"type": "set-lifecycle-stage", "stage": "hot"}]}""", "$.actions[0].stage")]
    public async Task SaveAutomation_Invalid_SaysWhereAndStoresNothing(string json, string path)
    {
        await PublishAsync(FunnelModel);

        var saved = await Store.Automations.SaveAutomationAsync(Default, null, json, false, Ct);

        saved.Value!.Saved.ShouldBeFalse();
        saved.Value.Errors.ShouldContain(e => e.Path == path, string.Join("; ", saved.Value.Errors));
        (await Store.Automations.ListAutomationsAsync(Default, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveAutomation_Edit_KeepsIdAndSecret()
    {
        await PublishAsync(FunnelModel);
        var created = await CreateAutomationAsync(Automation(AboveMql, Hook));

        var edited = await Store.Automations.SaveAutomationAsync(Default, created.Id, Automation("""{"type": "score-above", "threshold": "sql"}""", Hook), false, Ct);
        var unknown = await Store.Automations.SaveAutomationAsync(Default, "au_nope", Automation(AboveMql, Hook), false, Ct);

        var automation = edited.Value!.Automation.ShouldNotBeNull();
        (automation.Id, automation.Secret).ShouldBe((created.Id, created.Secret));
        automation.Definition.ShouldContain("sql");
        unknown.Error.ShouldNotBeNull().Code.ShouldBe("unknown-automation");
    }

    [Fact]
    public async Task Deliveries_FailRetryDieAndReplay_KeepEveryAttempt()
    {
        await PublishAsync(FunnelModel);
        var automation = await CreateAutomationAsync(Automation(AboveMql, Hook));
        await IngestAsync(Some.Events("c1", "email_open", 5));

        var claimed = (await Store.Deliveries.ClaimDeliveriesAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldHaveSingleItem();
        (await Store.Deliveries.ClaimDeliveriesAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldBeEmpty();
        claimed.Secret.ShouldBe(automation.Secret);
        await Store.Deliveries.CompleteDeliveryAsync(claimed, new DeliveryAttempt(1, Clock.UtcNow, 500, "HTTP 500", TimeSpan.FromMilliseconds(3)), Clock.UtcNow.AddSeconds(10), Ct);
        (await Store.Deliveries.ClaimDeliveriesAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldBeEmpty();
        Clock.Advance(TimeSpan.FromSeconds(11));
        var second = (await Store.Deliveries.ClaimDeliveriesAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldHaveSingleItem();
        await Store.Deliveries.CompleteDeliveryAsync(second, new DeliveryAttempt(2, Clock.UtcNow, null, "connection refused", TimeSpan.FromMilliseconds(1)), null, Ct);
        var dead = (await DeliveriesAsync(new DeliveryQuery { State = DeliveryState.Dead })).ShouldHaveSingleItem();
        var replayed = (await Store.Deliveries.ReplayDeliveryAsync(Default, dead.Id, Ct)).ShouldNotBeNull();
        var third = (await Store.Deliveries.ClaimDeliveriesAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldHaveSingleItem();
        await Store.Deliveries.CompleteDeliveryAsync(third, new DeliveryAttempt(3, Clock.UtcNow, 204, null, TimeSpan.FromMilliseconds(2)), null, Ct);

        replayed.State.ShouldBe(DeliveryState.Pending);
        third.Id.ShouldBe(claimed.Id);
        var delivered = (await Store.Deliveries.GetDeliveryAsync(Default, claimed.Id, Ct)).ShouldNotBeNull();
        (delivered.State, delivered.Attempts, delivered.LastStatus).ShouldBe((DeliveryState.Delivered, 3, 204));
        delivered.AttemptLog.Select(a => (a.Number, a.Status)).ShouldBe([(1, 500), (2, null), (3, 204)]);
        (await DeliveriesAsync(new DeliveryQuery { AutomationId = automation.Id })).ShouldHaveSingleItem();
        (await DeliveriesAsync(new DeliveryQuery { ContactId = "c2" })).ShouldBeEmpty();
    }

    [Fact]
    public async Task DeleteAutomation_CancelsUnsentWebhooksAndStopsFiring()
    {
        await PublishAsync(FunnelModel);
        var automation = await CreateAutomationAsync(Automation(AboveMql, Hook));
        await IngestAsync(Some.Events("c1", "email_open", 5));

        (await Store.Automations.DeleteAutomationAsync(Default, automation.Id, Ct)).ShouldBeTrue();
        await IngestAsync(Some.Events("c2", "email_open", 5));

        (await DeliveriesAsync()).ShouldHaveSingleItem().State.ShouldBe(DeliveryState.Cancelled);
        (await Store.Deliveries.ClaimDeliveriesAsync(10, TimeSpan.FromMinutes(1), Ct)).ShouldBeEmpty();
        (await Store.Automations.ListAutomationsAsync(Default, Ct)).ShouldBeEmpty();
        (await Store.Automations.DeleteAutomationAsync(Default, automation.Id, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task EraseContact_RemovesItsRunsAndWebhookPayloads()
    {
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql, Hook));
        await IngestAsync([.. Some.Events("c1", "email_open", 5), .. Some.Events("c2", "email_open", 5)]);

        await Store.Records.EraseRecordAsync(Default, RecordKind.Contact, "c1", Ct);

        (await RunsAsync()).ShouldHaveSingleItem().ContactId.ShouldBe("c2");
        (await DeliveriesAsync()).ShouldHaveSingleItem().ContactId.ShouldBe("c2");
    }

    [Fact]
    public async Task Automation_TwoStoresIngestingTheSameContactsAtOnce_FireOncePerCrossing()
    {
        await PublishAsync(FunnelModel);
        await CreateAutomationAsync(Automation(AboveMql, Hook));
        await using var other = await OpenAnotherAsync();
        var contacts = Enumerable.Range(0, 10).Select(i => $"c{i}").ToList();

        await Task.WhenAll(
            Task.Run(async () => { foreach (var c in contacts) { await Store.Events.IngestEventsAsync(Default, Some.Events(c, "email_open", 6), null, Ct); } }, Ct),
            Task.Run(async () => { foreach (var c in contacts) { await other.Events.IngestEventsAsync(Default, Some.Events(c, "email_open", 6), null, Ct); } }, Ct));

        var runs = await RunsAsync();
        runs.Select(r => r.ContactId).Order(StringComparer.Ordinal).ShouldBe(contacts.Order(StringComparer.Ordinal));
        (await DeliveriesAsync()).Count.ShouldBe(10);
    }
}
