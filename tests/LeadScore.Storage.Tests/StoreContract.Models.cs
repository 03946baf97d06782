using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Storage.Records;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task SaveModel_SameKeyTwice_KeepsBothVersions()
    {
        var first = await Store.Models.SaveModelAsync(Default, Some.SeniorModel(points: 15), Ct);
        var second = await Store.Models.SaveModelAsync(Default, Some.SeniorModel(points: 20), Ct);

        first.Version.ShouldNotBeNull().Version.ShouldBe(1);
        second.Version.ShouldNotBeNull().Version.ShouldBe(2);
        var versions = (await Store.Models.GetModelVersionsAsync(Default, "m", Ct)).OrderBy(v => v.Version).ToArray();
        versions.Select(v => (v.Version, v.Status, v.Target)).ShouldBe([(1, ModelStatus.Draft, RecordKind.Contact), (2, ModelStatus.Draft, RecordKind.Contact)]);
        versions.Select(v => ScoringModelJson.Parse(v.Definition).Model!.Rules[0].Points).ShouldBe([15.0, 20.0]);
    }

    [Fact]
    public async Task SaveModel_WithErrors_ReturnsThemAndSavesNothing()
    {
        var saved = await Store.Models.SaveModelAsync(Default, Some.Model("""{"key": "r", "category": "nowhere", "points": 5, "when": {"field": "age", "gte": 18}}"""), Ct);

        saved.Version.ShouldBeNull();
        saved.Validation.Errors.ShouldNotBeEmpty();
        (await Store.Models.GetModelVersionsAsync(Default, null, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveModel_DraftOnly_ScoresNothing()
    {
        await Store.Models.SaveModelAsync(Default, Some.OpensModel(), Ct);

        await IngestAsync(Some.Event("c1", "email_open"));

        (await ScoreAsync("c1")).ShouldBeNull();
    }

    [Fact]
    public async Task PublishModel_ExistingContacts_JobScoresEveryOneAndReportsProgress()
    {
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(1, 30).Select(i => Some.Contact($"c{i:00}", ("jobTitle", "VP")))], Ct);
        var saved = await Store.Models.SaveModelAsync(Default, Some.SeniorModel(), Ct);
        var published = await Store.Models.PublishModelAsync(Default, "m", null, Ct);
        published.Succeeded.ShouldBeTrue(published.Error?.ToString());
        var progress = new ProgressLog<JobStatus>();

        var job = await Store.Models.RunJobAsync(Default, published.Value.Id, progress, Ct);

        saved.Version.ShouldNotBeNull();
        (job.State, job.Done, job.Total).ShouldBe((JobState.Completed, 30L, 30L));
        (job.ModelKey, job.ModelVersion).ShouldBe(("m", 1));
        progress.Reports.ShouldNotBeEmpty();
        progress.Reports.Select(p => p.Done).ShouldBeInOrder();
        progress.Reports[^1].Done.ShouldBe(30);
        (await Store.Models.GetJobAsync(Default, job.Id, Ct)).ShouldNotBeNull().State.ShouldBe(JobState.Completed);
        var scores = await ListScoresAsync("m");
        scores.Count.ShouldBe(30);
        scores.ShouldAllBe(s => s.Points == 15 && s.ModelVersion == 1);
        (await HistoryAsync("c07")).Last().Cause.ShouldBe(ScoreChangeCause.Publish);
        var version = (await Store.Models.GetModelVersionsAsync(Default, "m", Ct)).ShouldHaveSingleItem();
        (version.Status, version.PublishedAt).ShouldBe((ModelStatus.Published, Some.Now));
    }

    [Fact]
    public async Task PublishModel_BeforeItsJobRuns_JobIsUnfinished()
    {
        await UpsertAsync(Some.Contact("c1"));
        await Store.Models.SaveModelAsync(Default, Some.OpensModel(), Ct);

        var published = await Store.Models.PublishModelAsync(Default, "m", null, Ct);

        published.Succeeded.ShouldBeTrue(published.Error?.ToString());
        var unfinished = (await Store.Models.GetUnfinishedJobsAsync(Ct)).ShouldHaveSingleItem();
        (unfinished.Workspace, unfinished.Job.Id, unfinished.Job.State).ShouldBe((Default, published.Value.Id, JobState.Pending));
        await Store.Models.RunJobAsync(Default, published.Value.Id, null, Ct);
        (await Store.Models.GetUnfinishedJobsAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunJob_Interrupted_ResumesAndScoresEachContactOnce()
    {
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(0, 5000).Select(i => Some.Contact($"c{i:0000}", ("jobTitle", "VP")))], Ct);
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(), Ct);
        var published = await Store.Models.PublishModelAsync(Default, "m", null, Ct);
        published.Succeeded.ShouldBeTrue(published.Error?.ToString());
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        try
        {
            await Store.Models.RunJobAsync(Default, published.Value.Id, new ProgressLog<JobStatus>(_ => interrupt.Cancel()), interrupt.Token);
        }
        catch (OperationCanceledException)
        {
            // The interruption this test is about.
        }

        await ReopenAsync();
        var interrupted = (await Store.Models.GetUnfinishedJobsAsync(Ct)).ShouldHaveSingleItem().Job;
        interrupted.Done.ShouldBeInRange(1, 4999);
        var job = await Store.Models.RunJobAsync(Default, published.Value.Id, null, Ct);

        (job.State, job.Done, job.Total).ShouldBe((JobState.Completed, 5000L, 5000L));
        (await ListScoresAsync("m")).ShouldAllBe(s => s.Points == 15);
        (await ListScoresAsync("m")).Count.ShouldBe(5000);
        (await HistoryAsync("c4999")).Count(h => h.Cause == ScoreChangeCause.Publish).ShouldBe(1);
    }

    [Fact]
    public async Task RunJob_AlreadyCompleted_ChangesNothing()
    {
        await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP")));
        var job = await PublishAsync(Some.SeniorModel());
        var history = await HistoryAsync("c1");

        var again = await Store.Models.RunJobAsync(Default, job.Id, null, Ct);

        (again.State, again.Done, again.Total).ShouldBe((JobState.Completed, job.Done, job.Total));
        (await HistoryAsync("c1")).Count.ShouldBe(history.Count);
    }

    [Fact]
    public async Task PublishModel_NewerVersion_RetiresTheOlderAndRescoresWithTheNewer()
    {
        await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP")));
        await PublishAsync(Some.SeniorModel(points: 15));
        Clock.Advance(TimeSpan.FromHours(1));

        await PublishAsync(Some.SeniorModel(points: 20));

        var score = (await ScoreAsync("c1")).ShouldNotBeNull();
        (score.ModelVersion, score.Points).ShouldBe((2, 20));
        var change = (await HistoryAsync("c1")).Last();
        (change.Cause, change.ModelVersion, change.OldScore, change.NewScore).ShouldBe((ScoreChangeCause.Publish, 2, 15, 20));
        var versions = (await Store.Models.GetModelVersionsAsync(Default, "m", Ct)).OrderBy(v => v.Version).ToArray();
        versions.Select(v => v.Status).ShouldBe([ModelStatus.Retired, ModelStatus.Published]);
    }

    [Fact]
    public async Task RunJob_NewerVersionPublishedMeanwhile_IsCancelledAndTheNewerWins()
    {
        await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP")));
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(points: 15), Ct);
        var first = await Store.Models.PublishModelAsync(Default, "m", null, Ct);
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(points: 20), Ct);
        var second = await Store.Models.PublishModelAsync(Default, "m", null, Ct);

        var firstJob = await Store.Models.RunJobAsync(Default, first.Value!.Id, null, Ct);
        var secondJob = await Store.Models.RunJobAsync(Default, second.Value!.Id, null, Ct);

        (firstJob.State, secondJob.State).ShouldBe((JobState.Cancelled, JobState.Completed));
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(20);
        (await Store.Models.GetUnfinishedJobsAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListScores_AllModels_OrderedByModelThenRecord()
    {
        await UpsertAsync(Some.Contact("b"), Some.Contact("a"), Some.Contact("c"));
        await PublishAsync(Some.OpensModel("zeta"));
        await PublishAsync(Some.OpensModel("alpha"));
        await Store.Models.SaveModelAsync(Default, Some.OpensModel("draft"), Ct);

        var scores = await ListScoresAsync();

        scores.Select(s => $"{s.ModelKey}/{s.RecordId}").ShouldBe(["alpha/a", "alpha/b", "alpha/c", "zeta/a", "zeta/b", "zeta/c"]);
    }

    [Fact]
    public async Task PublishModel_GivenVersion_PublishesThatOne()
    {
        await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP")));
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(points: 15), Ct);
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(points: 20), Ct);

        var published = await Store.Models.PublishModelAsync(Default, "m", 1, Ct);
        await Store.Models.RunJobAsync(Default, published.Value!.Id, null, Ct);

        published.Value.ModelVersion.ShouldBe(1);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(15);
    }

    [Fact]
    public async Task PublishModel_UnknownKey_ReturnsAnErrorNamingIt()
    {
        var published = await Store.Models.PublishModelAsync(Default, "no-such-model", null, Ct);

        published.Succeeded.ShouldBeFalse();
        published.Error.Message.ShouldContain("no-such-model");
        (await Store.Models.GetUnfinishedJobsAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task PublishModel_UnknownVersion_ReturnsAnErrorAndChangesNothing()
    {
        await Store.Models.SaveModelAsync(Default, Some.OpensModel(), Ct);

        var published = await Store.Models.PublishModelAsync(Default, "m", 7, Ct);

        published.Succeeded.ShouldBeFalse();
        published.Error.Message.ShouldContain("7");
        (await Store.Models.GetModelVersionsAsync(Default, "m", Ct)).ShouldHaveSingleItem().Status.ShouldBe(ModelStatus.Draft);
    }
}
