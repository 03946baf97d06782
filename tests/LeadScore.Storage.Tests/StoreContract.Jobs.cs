using LeadScore.Storage.Models;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    /// <summary>Enough contacts for a publish job of three chunks.</summary>
    private async Task<long> ArrangeThreeChunkJobAsync()
    {
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(0, 2 * ModelStore.JobChunkSize + 500).Select(i => Some.Contact($"c{i:0000}", ("jobTitle", "VP")))], Ct);
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(), Ct);
        return (await Store.Models.PublishModelAsync(Default, "m", null, Ct)).Value!.Id;
    }

    [Fact]
    public async Task RunJob_ClaimedByAnotherLiveStore_ReturnsItsStatusUnchanged()
    {
        var jobId = await ArrangeThreeChunkJobAsync();
        await using var second = await OpenAnotherAsync();
        JobStatus? seenBySecond = null;
        // Between the first store's chunks, while it holds the job, the second store is asked to run it.
        var progress = new ProgressLog<JobStatus>(status =>
            seenBySecond ??= second.Models.RunJobAsync(Default, jobId, null, Ct).GetAwaiter().GetResult());

        var job = await Store.Models.RunJobAsync(Default, jobId, progress, Ct);

        seenBySecond.ShouldNotBeNull();
        (seenBySecond.State, seenBySecond.Done).ShouldBe((JobState.Running, ModelStore.JobChunkSize));
        (job.State, job.Done).ShouldBe((JobState.Completed, 2L * ModelStore.JobChunkSize + 500));
        (await HistoryAsync("c0000")).ShouldHaveSingleItem().Cause.ShouldBe(ScoreChangeCause.Publish);
    }

    [Fact]
    public async Task RunJob_LeaseOfAVanishedStore_IsTakenOverWhenItRunsOut()
    {
        var jobId = await ArrangeThreeChunkJobAsync();
        await using (var dialect = SqlDialect.For(Connection))
        {
            await using var session = await dialect.BeginWriteAsync(Some.Now, Ct);
            await using var claim = session.Command("UPDATE jobs SET state = 'running', claimed_by = 'vanished', claimed_until_us = @until")
                .With("@until", Micros.From(Some.Now + ModelStore.JobLease));
            await claim.ExecuteNonQueryAsync(Ct);
            await session.CommitAsync(Ct);
        }

        var whileHeld = await Store.Models.RunJobAsync(Default, jobId, null, Ct);
        Clock.Advance(ModelStore.JobLease + TimeSpan.FromSeconds(1));
        var afterLease = await Store.Models.RunJobAsync(Default, jobId, null, Ct);

        (whileHeld.State, whileHeld.Done).ShouldBe((JobState.Running, 0L));
        (afterLease.State, afterLease.Done).ShouldBe((JobState.Completed, 2L * ModelStore.JobChunkSize + 500));
    }

    [Fact]
    public async Task RunJob_Interrupted_ReleasesItsLeaseForAnotherStore()
    {
        var jobId = await ArrangeThreeChunkJobAsync();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await Should.ThrowAsync<OperationCanceledException>(() =>
            Store.Models.RunJobAsync(Default, jobId, new ProgressLog<JobStatus>(_ => interrupt.Cancel()), interrupt.Token));
        await using var second = await OpenAnotherAsync();

        var job = await second.Models.RunJobAsync(Default, jobId, null, Ct);

        (job.State, job.Done).ShouldBe((JobState.Completed, 2L * ModelStore.JobChunkSize + 500));
    }

    [Fact]
    public async Task RunJob_DataChangedBetweenChunks_LaterChunksScoreTheChangedData()
    {
        // A job reads its next chunk ahead while it writes the current one; an ingest and a field
        // change that land between two chunks must be what the later chunk scores, not what it read ahead.
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(0, 2 * ModelStore.JobChunkSize + 500).Select(i => Some.Contact($"c{i:0000}"))], Ct);
        await Store.Models.SaveModelAsync(Default, Some.Model(Some.SeniorRule + ", " + Some.OpensRule), Ct);
        var jobId = (await Store.Models.PublishModelAsync(Default, "m", null, Ct)).Value!.Id;
        var opened = $"c{2 * ModelStore.JobChunkSize + 100:0000}";
        var promoted = $"c{2 * ModelStore.JobChunkSize + 200:0000}";
        var chunks = 0;
        // After the second chunk: the second read the third ahead, as nothing had changed before it.
        var progress = new ProgressLog<JobStatus>(_ =>
        {
            if (++chunks == 2)
            {
                IngestAsync(Some.Event(opened, "email_open")).GetAwaiter().GetResult();
                UpsertAsync(Some.Contact(promoted, ("jobTitle", "VP"))).GetAwaiter().GetResult();
            }
        });

        var job = await Store.Models.RunJobAsync(Default, jobId, progress, Ct);

        job.State.ShouldBe(JobState.Completed);
        var scores = (await ListScoresAsync("m")).ToDictionary(s => s.RecordId, StringComparer.Ordinal);
        scores.Count.ShouldBe(2 * ModelStore.JobChunkSize + 500);
        scores[opened].Points.ShouldBe(2);
        scores[promoted].Points.ShouldBe(15);
        scores.Values.Count(s => s.Points != 0).ShouldBe(2);
    }
}
