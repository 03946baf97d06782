using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task ArchiveModel_Published_StopsScoringAndRemovesItsScores()
    {
        await PublishAsync(Some.OpensModel());
        await PublishAsync(Some.SeniorModel("other"));
        await IngestAsync(Some.Event("c1", "email_open"));

        var archived = await Store.Models.ArchiveModelAsync(Default, "m", Ct);
        await IngestAsync(Some.Event("c2", "email_open"));

        archived.Succeeded.ShouldBeTrue(archived.Error?.ToString());
        archived.Value.ShouldHaveSingleItem().Status.ShouldBe(ModelStatus.Archived);
        (await ListScoresAsync("m")).ShouldBeEmpty();
        (await ListScoresAsync()).Select(s => s.ModelKey).Distinct().ShouldBe(["other"]);
        (await HistoryAsync("c1")).ShouldNotBeEmpty();
        (await Store.Leads.ListLeadsAsync(Default, new LeadQuery("m"), Ct)).Error.ShouldNotBeNull().Code.ShouldBe("unknown-model");
        (await Store.Scores.AddAdjustmentAsync(Default, new AdjustmentInput("c1", "m", "fit", 5, "why"), Ct)).Error.ShouldNotBeNull().Code.ShouldBe("unknown-model");
    }

    [Fact]
    public async Task ArchiveModel_EveryVersion_IsArchived()
    {
        await PublishAsync(Some.SeniorModel(points: 10));
        await PublishAsync(Some.SeniorModel(points: 20));
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(points: 30), Ct);

        var archived = await Store.Models.ArchiveModelAsync(Default, "m", Ct);

        archived.Value.ShouldNotBeNull().Select(v => (v.Version, v.Status))
            .ShouldBe([(1, ModelStatus.Archived), (2, ModelStatus.Archived), (3, ModelStatus.Archived)]);
        (await Store.Models.GetModelVersionsAsync(Default, "m", Ct)).ShouldAllBe(v => v.Status == ModelStatus.Archived);
    }

    [Fact]
    public async Task ArchiveModel_WithUnfinishedJob_CancelsIt()
    {
        await UpsertAsync(Some.Contact("c1"));
        await Store.Models.SaveModelAsync(Default, Some.OpensModel(), Ct);
        var published = await Store.Models.PublishModelAsync(Default, "m", null, Ct);

        await Store.Models.ArchiveModelAsync(Default, "m", Ct);

        (await Store.Models.GetJobAsync(Default, published.Value!.Id, Ct)).ShouldNotBeNull().State.ShouldBe(JobState.Cancelled);
        (await Store.Models.GetUnfinishedJobsAsync(Ct)).ShouldBeEmpty();
        (await Store.Models.RunJobAsync(Default, published.Value.Id, null, Ct)).State.ShouldBe(JobState.Cancelled);
        (await ScoreAsync("c1")).ShouldBeNull();
    }

    [Fact]
    public async Task ArchiveModel_UnknownKey_FailsWithUnknownModel()
    {
        await PublishAsync(Some.OpensModel());

        var archived = await Store.Models.ArchiveModelAsync(Default, "nope", Ct);

        archived.Error.ShouldNotBeNull().Code.ShouldBe("unknown-model");
        archived.Error.Message.ShouldContain("'nope'");
    }

    [Fact]
    public async Task ArchiveModel_ThenSavedAgain_NewDraftPublishesAndScores()
    {
        await PublishAsync(Some.OpensModel());
        await IngestAsync(Some.Event("c1", "email_open"));
        await Store.Models.ArchiveModelAsync(Default, "m", Ct);

        var saved = await Store.Models.SaveModelAsync(Default, Some.OpensModel(), Ct);
        var job = await PublishAsync(Some.OpensModel());

        saved.Version.ShouldNotBeNull().Version.ShouldBe(2);
        saved.Version.Status.ShouldBe(ModelStatus.Draft);
        job.ModelVersion.ShouldBe(2);
        (await ScoreAsync("c1")).ShouldNotBeNull().ModelVersion.ShouldBe(2);
    }

    [Fact]
    public async Task PublishModel_ArchivedVersion_IsRefused()
    {
        await PublishAsync(Some.OpensModel());
        await Store.Models.ArchiveModelAsync(Default, "m", Ct);

        var explicitVersion = await Store.Models.PublishModelAsync(Default, "m", 1, Ct);
        var newest = await Store.Models.PublishModelAsync(Default, "m", null, Ct);

        explicitVersion.Error.ShouldNotBeNull().Code.ShouldBe("model-archived");
        explicitVersion.Error.Message.ShouldContain("archived");
        newest.Error.ShouldNotBeNull().Code.ShouldBe("model-archived");
        (await Store.Models.GetModelVersionsAsync(Default, "m", Ct)).ShouldHaveSingleItem().Status.ShouldBe(ModelStatus.Archived);
    }
}
