using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private static ModelReviewInput Review(string model, DateTimeOffset at, DateOnly? scheduledDay = null) =>
        new(model, 1, at, at.AddDays(-30), at, "{\"report\":{\"modelKey\":\"" + model + "\",\"health\":{\"auc\":0.81}}}", scheduledDay);

    [Fact]
    public async Task ModelReviews_AreNumberedPerWorkspace_ListedNewestFirst_AndKeepTheirDraftVersion()
    {
        var first = await Store.Reviews.SaveModelReviewAsync(Default, Review("m", Some.Now.AddDays(-30)), Ct);
        var second = await Store.Reviews.SaveModelReviewAsync(Default, Review("m", Some.Now), Ct);
        var other = await Store.Reviews.SaveModelReviewAsync(Default, Review("n", Some.Now), Ct);
        await Store.Reviews.SetReviewDraftAsync(Default, second!.Id, 4, Ct);

        (first!.Id, second.Id, other!.Id).ShouldBe((1L, 2L, 3L));
        (await Store.Reviews.ListModelReviewsAsync(Default, "m", Ct)).Select(r => (r.Id, r.DraftVersion)).ShouldBe([(2L, 4), (1L, null)]);
        (await Store.Reviews.ListModelReviewsAsync(Default, null, Ct)).Count.ShouldBe(3);
        var stored = (await Store.Reviews.GetModelReviewAsync(Default, 2, Ct))!;
        (stored.ModelKey, stored.ReviewedAt, stored.PeriodFrom, stored.Scheduled).ShouldBe(("m", Some.Now, Some.Now.AddDays(-30), false));
        stored.Report.ShouldContain("\"auc\":0.81");
        (await Store.Reviews.GetModelReviewAsync(new WorkspaceId("other"), 2, Ct)).ShouldBeNull("a workspace sees only its own reviews");
        (await Store.Reviews.ListModelReviewsAsync(new WorkspaceId("other"), null, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AScheduledReview_IsStoredOncePerModelAndDay_WhoeverRunsIt()
    {
        var day = DateOnly.FromDateTime(Some.Now.UtcDateTime);

        var mine = await Store.Reviews.SaveModelReviewAsync(Default, Review("m", Some.Now, day), Ct);
        var anotherServers = await Store.Reviews.SaveModelReviewAsync(Default, Review("m", Some.Now.AddMinutes(1), day), Ct);
        var anotherModel = await Store.Reviews.SaveModelReviewAsync(Default, Review("n", Some.Now, day), Ct);
        var onDemand = await Store.Reviews.SaveModelReviewAsync(Default, Review("m", Some.Now.AddMinutes(2)), Ct);

        mine.ShouldNotBeNull().Scheduled.ShouldBeTrue();
        anotherServers.ShouldBeNull();
        anotherModel.ShouldNotBeNull();
        onDemand.ShouldNotBeNull("reviews asked for by people are not limited");
        (await Store.Reviews.ListModelReviewsAsync(Default, "m", Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task ErasingAContact_TakesItsIdOutOfStoredReviews_AndKeepsTheRest()
    {
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("c-1"), Some.Contact("c-10")], Ct);
        var report = """{"report":{"lowScoreConverters":{"ids":["c-1","c-10"]}}}""";
        var stored = await Store.Reviews.SaveModelReviewAsync(Default, new ModelReviewInput("m", 1, Some.Now, Some.Now.AddDays(-30), Some.Now, report), Ct);

        await Store.Records.EraseRecordAsync(Default, RecordKind.Contact, "c-1", Ct);

        (await Store.Reviews.GetModelReviewAsync(Default, stored!.Id, Ct))!.Report.ShouldBe("""{"report":{"lowScoreConverters":{"ids":["(erased)","c-10"]}}}""");
    }
}
