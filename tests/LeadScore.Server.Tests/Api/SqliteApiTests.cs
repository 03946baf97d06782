using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

public sealed class SqliteApiTests : ApiContract
{
    protected override Task<RunningServer> StartServerAsync(ServerOptions? options = null) =>
        RunningServer.StartSqliteAsync(options, Ct);

    /// <summary>The schedule does not depend on the database (its lease is tested on both in the store tests); it runs here once.</summary>
    [Fact]
    public async Task PredictiveSchedule_TrainsWhenOutcomesArrive_AndAgainWhenConversionsGrowByAFifth()
    {
        await using var server = await StartServerAsync(new ServerOptions { PredictiveCheckInterval = TimeSpan.FromMilliseconds(300) });
        await PublishAsync(server.Client);
        await ArrangeFunnelAsync(server.Client);

        var first = await WaitForVersionAsync(server.Client, 1);
        var conversions = first.GetProperty("conversions").GetInt32();
        // A version is listed once saved; its predictions are written just after. On a busy machine the
        // test got here first, converted nobody, and waited in vain for the growth to retrain on.
        var open = await EventuallyAsync(
            async () => (List<string?>)[.. (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/leads?sort=-probability&limit=1000", Ct))).GetProperty("items")
                .EnumerateArray().Where(l => l.TryGetProperty("prediction", out _)).Select(l => l.GetProperty("recordId").GetString()).Take(conversions / 4 + 1)],
            found => found.Count >= conversions / 4 + 1,
            TimeSpan.FromMinutes(2), "writing version 1's predictions");
        var more = open.Select(id => $$"""{"record": "contact", "id": "{{id}}", "outcome": "converted", "occurredAt": "{{DaysAgo(1)}}"}""");
        (await PostAsync(server.Client, "/api/v1/outcomes", $"[{string.Join(",", more)}]")).IsSuccessStatusCode.ShouldBeTrue();

        var second = await WaitForVersionAsync(server.Client, 2);
        second.GetProperty("conversions").GetInt32().ShouldBe(conversions + open.Count);
        // Version 2 is listed once saved; the status reports the run once its predictions are written, a moment later.
        var status = await EventuallyAsync(
            async () => await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/predictive/status", Ct)),
            read => read.TryGetProperty("lastRun", out var run) && run.TryGetProperty("version", out var v) && v.GetInt32() == 2,
            TimeSpan.FromMinutes(2), "the status reporting version 2");
        status.GetProperty("lastRun").GetProperty("version").GetInt32().ShouldBe(2);
    }

    /// <summary>
    /// The review schedule runs on the server's clock; here a clock the test moves on by a month, and
    /// whose schedule waits end only when the test says, so each check is one the test can count on.
    /// </summary>
    [Fact]
    public async Task ReviewSchedule_ReviewsAPublishedModelThirtyDaysAfterItWasPublished_AndStoresItOnce()
    {
        var clock = new SteppedScheduleClock(TimeSpan.FromSeconds(4321));
        await using var server = await StartServerAsync(new ServerOptions { Time = clock, ReviewCheckInterval = clock.Interval });
        await PublishAsync(server.Client);
        await ArrangeFunnelAsync(server.Client);

        await clock.RunOneCheckAsync(Ct);
        var fresh = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model/reviews", Ct))).GetProperty("reviews");
        clock.Offset = TimeSpan.FromDays(31);
        await clock.RunOneCheckAsync(Ct);
        var due = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model/reviews", Ct))).GetProperty("reviews");
        await clock.RunOneCheckAsync(Ct);
        var after = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model/reviews", Ct))).GetProperty("reviews");

        fresh.GetArrayLength().ShouldBe(0, "the model was published just now");
        due.GetArrayLength().ShouldBe(1, "the model is 31 days old");
        after.GetArrayLength().ShouldBe(1, "the next review falls due 30 days after this one");
        after[0].GetProperty("scheduled").GetBoolean().ShouldBeTrue();
        after[0].GetProperty("periodTo").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>
    /// The real clock moved by <see cref="Offset"/>, whose waits of exactly <see cref="Interval"/> (the
    /// review schedule's, and no other worker's) end only when <see cref="RunOneCheckAsync"/> says.
    /// </summary>
    private sealed class SteppedScheduleClock(TimeSpan interval) : TimeProvider
    {
        private readonly global::System.Threading.Channels.Channel<HeldWait> _waits = global::System.Threading.Channels.Channel.CreateUnbounded<HeldWait>();

        public TimeSpan Interval { get; } = interval;

        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Interval)
            {
                return TimeProvider.System.CreateTimer(callback, state, dueTime, period);
            }

            var wait = new HeldWait(() => callback(state));
            _waits.Writer.TryWrite(wait);
            return wait;
        }

        /// <summary>
        /// Waits until the schedule has finished a check and is waiting for the next (its wait is the
        /// signal), lets it run one more, and waits until that one is finished too.
        /// </summary>
        public async Task RunOneCheckAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var waiting = await _waits.Reader.ReadAsync(timeout.Token);
            waiting.End();
            await _waits.Reader.WaitToReadAsync(timeout.Token);
        }

        private sealed class HeldWait(Action end) : ITimer
        {
            private int _ended;

            public void End()
            {
                if (Interlocked.Exchange(ref _ended, 1) == 0)
                {
                    end();
                }
            }

            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose() => Interlocked.Exchange(ref _ended, 1);

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
