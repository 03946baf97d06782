using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task IngestEvents_ConcurrentBatchesForOneContact_ScoreCountsEveryEvent()
    {
        await PublishAsync(Some.Model(
            """{"key": "opens", "category": "engagement", "points": 1, "per": "occurrence", "maxPoints": 50, "event": {"type": "email_open"}}"""));
        var batches = Enumerable.Range(0, 8).Select(_ => Some.Events("c1", "email_open", 5)).ToArray();

        var results = await Task.WhenAll(batches.Select(batch => Task.Run(() => IngestAsync(batch), Ct)));

        results.Sum(r => r.Accepted).ShouldBe(40);
        (await CountEventsAsync()).ShouldBe(40);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(40);
        (await HistoryAsync("c1")).Last().NewScore.ShouldBe(40);
    }

    [Fact]
    public async Task IngestEvents_SameBatchSentConcurrently_CountsEachEventOnce()
    {
        await PublishAsync(Some.OpensModel());
        var batch = Some.Events("c1", "email_open", 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => IngestAsync(batch), Ct)));

        results.Sum(r => r.Accepted).ShouldBe(3);
        results.Sum(r => r.Duplicates).ShouldBe(15);
        results.ShouldAllBe(r => r.Rejected.IsEmpty);
        (await CountEventsAsync()).ShouldBe(3);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IngestEvents_NewContactFromConcurrentBatches_IsReportedCreatedOnce(bool byEmail)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => IngestAsync(byEmail ? Some.EventByEmail("ann@example.com", "email_open") : Some.Event("ann", "email_open")), Ct)));

        results.Sum(r => r.Accepted).ShouldBe(6);
        results.SelectMany(r => r.CreatedContacts).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task IngestEvents_WhileAPublishJobRuns_EndsWithScoresOfAllTheData()
    {
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(0, 4500).Select(i => Some.Contact($"c{i:0000}"))], Ct);
        await Store.Models.SaveModelAsync(Default, Some.OpensModel(), Ct);
        var published = await Store.Models.PublishModelAsync(Default, "m", null, Ct);

        var job = Store.Models.RunJobAsync(Default, published.Value!.Id, null, Ct);
        var ingest = Task.Run(async () =>
        {
            foreach (var i in Enumerable.Range(0, 20))
            {
                await IngestAsync(Some.Event($"c{i * 200:0000}", "email_open"), Some.Event($"late{i}", "email_open"));
            }
        }, Ct);
        await Task.WhenAll(job, ingest);

        (await job).State.ShouldBe(JobState.Completed);
        var scores = await ListScoresAsync("m");
        scores.Count.ShouldBe(4520);
        var opened = Enumerable.Range(0, 20).SelectMany(i => new[] { $"c{i * 200:0000}", $"late{i}" });
        scores.Where(s => s.Points == 2).Select(s => s.RecordId).Order(StringComparer.Ordinal).ShouldBe(opened.Order(StringComparer.Ordinal));
    }
}
