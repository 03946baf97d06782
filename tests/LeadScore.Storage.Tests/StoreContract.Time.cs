using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private const string RecentDemoRule =
        """{"key": "recent-demo", "category": "engagement", "points": 30, "event": {"type": "demo_requested", "within": "1d"}}""";

    private const string ExpiringDemoRule =
        """{"key": "demo", "category": "engagement", "points": 30, "event": {"type": "demo_requested"}, "decay": {"expiresAfter": "2d"}}""";

    [Fact]
    public async Task GetScoreAt_AnyInstant_ReturnsTheScoreThenFromHistory()
    {
        await PublishAsync(Some.OpensModel());
        await IngestAsync(Some.Event("c1", "email_open"));
        Clock.Advance(TimeSpan.FromHours(1));
        await IngestAsync(Some.Event("c1", "email_open", Clock.UtcNow.AddMinutes(-1)));

        var before = await Store.Scores.GetScoreAtAsync(Default, "m", RecordKind.Contact, "c1", Some.Now.AddMinutes(-1), Ct);
        var between = await Store.Scores.GetScoreAtAsync(Default, "m", RecordKind.Contact, "c1", Some.Now.AddMinutes(30), Ct);
        var atChange = await Store.Scores.GetScoreAtAsync(Default, "m", RecordKind.Contact, "c1", Some.Now.AddHours(1), Ct);
        var later = await Store.Scores.GetScoreAtAsync(Default, "m", RecordKind.Contact, "c1", Some.Now.AddDays(3), Ct);

        before.ShouldBeNull();
        between.ShouldNotBeNull().NewScore.ShouldBe(2);
        atChange.ShouldNotBeNull().NewScore.ShouldBe(4);
        later.ShouldNotBeNull().NewScore.ShouldBe(4);
    }

    [Theory]
    [InlineData(RecentDemoRule)]
    [InlineData(ExpiringDemoRule)]
    public async Task Sweep_PointsExpire_RescoresWithCauseDecay(string rule)
    {
        await PublishAsync(Some.Model(rule));
        await IngestAsync(Some.Event("c1", "demo_requested", Some.Now.AddHours(-1)));
        var scored = (await ScoreAsync("c1")).ShouldNotBeNull();
        scored.Points.ShouldBe(30);
        var nextChange = scored.NextChangeAt.ShouldNotBeNull();
        (await Store.Scores.SweepAsync(cancellationToken: Ct)).ShouldBe(0);
        Clock.UtcNow = nextChange.AddMinutes(1);

        var swept = await Store.Scores.SweepAsync(cancellationToken: Ct);

        swept.ShouldBe(1);
        var score = (await ScoreAsync("c1")).ShouldNotBeNull();
        (score.Points, score.NextChangeAt, score.ScoredAt).ShouldBe((0, null, Clock.UtcNow));
        var change = (await HistoryAsync("c1")).Last();
        (change.Cause, change.OldScore, change.NewScore, change.At).ShouldBe((ScoreChangeCause.Decay, 30, 0, Clock.UtcNow));
        (await Store.Scores.SweepAsync(cancellationToken: Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task AddAdjustment_WithReasonAndExpiry_CountsUntilItExpires()
    {
        await UpsertAsync(Some.Contact("c1"));
        await PublishAsync(Some.OpensModel());
        var expires = Some.Now.AddDays(2);

        var added = await Store.Scores.AddAdjustmentAsync(Default, new AdjustmentInput("c1", "m", "fit", 10, "Met at the trade fair", expires), Ct);

        added.Succeeded.ShouldBeTrue(added.Error?.ToString());
        added.Value.Points.ShouldBe(10);
        Some.CategoryIn(added.Value.Line, "fit").ShouldBe(10);
        Some.NextChangeIn(added.Value.Line).ShouldBe("2026-11-25T12:00:00Z");
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(10);
        var change = (await HistoryAsync("c1")).Last();
        (change.Cause, change.NewScore).ShouldBe((ScoreChangeCause.Adjustment, 10));

        Clock.UtcNow = expires.AddMinutes(1);
        (await Store.Scores.SweepAsync(cancellationToken: Ct)).ShouldBe(1);

        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(0);
        var expiry = (await HistoryAsync("c1")).Last();
        (expiry.OldScore, expiry.NewScore, expiry.At).ShouldBe((10, 0, Clock.UtcNow));
        expiry.Cause.ShouldBeOneOf(ScoreChangeCause.Decay, ScoreChangeCause.Adjustment);
    }

    [Fact]
    public async Task AddAdjustment_UnknownModel_ReturnsAnErrorAndStoresNothing()
    {
        await UpsertAsync(Some.Contact("c1"));
        await PublishAsync(Some.OpensModel());

        var added = await Store.Scores.AddAdjustmentAsync(Default, new AdjustmentInput("c1", "ghost", "fit", 10, "Why not"), Ct);

        added.Succeeded.ShouldBeFalse();
        added.Error.Message.ShouldContain("ghost");
        (await ScoreAsync("c1", "ghost")).ShouldBeNull();
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(0);
    }

    [Fact]
    public async Task AddAdjustment_UnknownContact_ReturnsAnErrorNamingIt()
    {
        await PublishAsync(Some.OpensModel());

        var added = await Store.Scores.AddAdjustmentAsync(Default, new AdjustmentInput("nobody", "m", "fit", 10, "Typo"), Ct);

        added.Succeeded.ShouldBeFalse();
        added.Error.Message.ShouldContain("nobody");
        (await ScoreAsync("nobody")).ShouldBeNull();
    }

    [Fact]
    public async Task Sweep_MoreDueThanTheLimit_RescoresAtMostTheLimitPerCall()
    {
        await PublishAsync(Some.Model(RecentDemoRule));
        await IngestAsync([.. Enumerable.Range(0, 3).Select(i => Some.Event($"c{i}", "demo_requested", Some.Now.AddHours(-1)))]);
        Clock.Advance(TimeSpan.FromDays(2));

        var swept = new[] { await Store.Scores.SweepAsync(2, Ct), await Store.Scores.SweepAsync(2, Ct), await Store.Scores.SweepAsync(2, Ct) };

        (await ListScoresAsync("m")).Select(s => (s.RecordId, s.Points)).ShouldBe([("c0", 0), ("c1", 0), ("c2", 0)]);
        swept.ShouldBe([2, 1, 0]);
    }

    [Fact]
    public async Task AddAdjustment_CategoryNotInTheModel_ReturnsAnError()
    {
        await UpsertAsync(Some.Contact("c1"));
        await PublishAsync(Some.OpensModel());

        var added = await Store.Scores.AddAdjustmentAsync(Default, new AdjustmentInput("c1", "m", "charm", 10, "Nice person"), Ct);

        added.Succeeded.ShouldBeFalse();
        added.Error.Message.ShouldContain("charm");
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(0);
    }

    [Fact]
    public async Task RecordOutcomes_ConversionAndDeals_ReadBackAsRecorded()
    {
        await UpsertAsync(Some.Contact("c1"));
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme")], Ct);
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme"), Some.Deal("d2", "c1", "acme")], Ct);
        OutcomeInput[] outcomes =
        [
            new(RecordKind.Contact, "c1", OutcomeKind.Converted, Some.Now.AddDays(-3)),
            new(RecordKind.Deal, "d1", OutcomeKind.Won, Some.Now.AddDays(-1), 12_000.50m),
            new(RecordKind.Deal, "d2", OutcomeKind.Lost, Some.Now.AddHours(-2), 800m),
        ];

        var result = await Store.Outcomes.RecordOutcomesAsync(Default, outcomes, Ct);

        result.Written.ShouldBe(3);
        result.Rejected.ShouldBeEmpty();
        (await Store.Outcomes.GetOutcomesAsync(Default, Ct)).OrderBy(o => o.Kind).ThenBy(o => o.RecordId, StringComparer.Ordinal).ShouldBe(outcomes);
    }

    public static TheoryData<string, OutcomeInput> BadOutcomes => new()
    {
        { "unknown record", new(RecordKind.Deal, "no-such-deal", OutcomeKind.Won, Some.Now, 100m) },
        { "deal converted", new(RecordKind.Deal, "d1", OutcomeKind.Converted, Some.Now) },
        { "contact won", new(RecordKind.Contact, "c1", OutcomeKind.Won, Some.Now, 100m) },
        { "far future", new(RecordKind.Deal, "d1", OutcomeKind.Won, Some.Now.AddDays(365), 100m) },
        { "negative amount", new(RecordKind.Deal, "d1", OutcomeKind.Won, Some.Now, -5m) },
    };

    [Theory]
    [MemberData(nameof(BadOutcomes))]
    public async Task RecordOutcomes_BadOutcome_RejectsThatOneOnly(string why, OutcomeInput bad)
    {
        await UpsertAsync(Some.Contact("c1"));
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme")], Ct);
        var good = new OutcomeInput(RecordKind.Contact, "c1", OutcomeKind.Converted, Some.Now.AddDays(-1));

        var result = await Store.Outcomes.RecordOutcomesAsync(Default, [bad, good], Ct);

        result.Written.ShouldBe(1, why);
        result.Rejected.ShouldHaveSingleItem().Index.ShouldBe(0);
        (await Store.Outcomes.GetOutcomesAsync(Default, Ct)).ShouldBe([good]);
    }
}
