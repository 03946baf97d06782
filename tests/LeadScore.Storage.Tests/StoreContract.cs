using LeadScore.Engine.Model;
using LeadScore.Storage.Records;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Storage.Tests;

/// <summary>
/// What every store does, whatever its database: <see cref="SqliteStoreTests"/> and
/// <see cref="PostgresStoreTests"/> run these same tests, each on a fresh database per test. The
/// store sees time through <see cref="Clock"/>, which starts at <see cref="Some.Now"/> and moves only
/// when a test moves it. The tests are grouped by feature in the StoreContract.*.cs files.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly WorkspaceId Default = WorkspaceId.Default;

    private string? _connection;
    private ILeadStore? _store;

    protected ManualClock Clock { get; } = new(Some.Now);

    protected ILeadStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    /// <summary>The connection text of the test's database, for tests that look under the store.</summary>
    protected string Connection => _connection ?? throw new InvalidOperationException("The database is not created.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connection = await CreateDatabaseAsync();
        _store = await LeadStore.OpenAsync(_connection, Clock, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await DeleteDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates an empty database (a new one on each call) and returns the connection text that <see cref="LeadStore.OpenAsync"/> takes.</summary>
    protected abstract ValueTask<string> CreateDatabaseAsync();

    protected virtual ValueTask DeleteDatabaseAsync() => ValueTask.CompletedTask;

    /// <summary>Closes the store and opens the same database again, as a restarted process does.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = null;
        _store = await LeadStore.OpenAsync(_connection, Clock, Ct);
    }

    protected Task<ILeadStore> OpenAnotherAsync() => LeadStore.OpenAsync(_connection, Clock, Ct);

    /// <summary>Saves a model, publishes it and runs its re-score job to the end.</summary>
    protected async Task<JobStatus> PublishAsync(string modelJson, WorkspaceId? workspace = null)
    {
        var space = workspace ?? Default;
        var saved = await Store.Models.SaveModelAsync(space, modelJson, Ct);
        saved.Version.ShouldNotBeNull($"The test model has errors: {string.Join("; ", saved.Validation.Errors)}");
        var published = await Store.Models.PublishModelAsync(space, saved.Version.Key, saved.Version.Version, Ct);
        published.Succeeded.ShouldBeTrue(published.Error?.ToString());
        var job = await Store.Models.RunJobAsync(space, published.Value.Id, null, Ct);
        job.State.ShouldBe(JobState.Completed);
        return job;
    }

    protected Task<IngestResult> IngestAsync(params EventInput[] events) => Store.Events.IngestEventsAsync(Default, events, null, Ct);

    protected Task<WriteResult> UpsertAsync(params ContactInput[] contacts) => Store.Records.UpsertContactsAsync(Default, contacts, Ct);

    protected Task<StoredScore?> ScoreAsync(string recordId, string model = "m", RecordKind kind = RecordKind.Contact) =>
        Store.Scores.GetScoreAsync(Default, model, kind, recordId, Ct);

    protected Task<IReadOnlyList<ScoreHistoryEntry>> HistoryAsync(string recordId, string model = "m", RecordKind kind = RecordKind.Contact) =>
        Store.Scores.GetHistoryAsync(Default, model, kind, recordId, Ct);

    protected async Task<List<StoredScore>> ListScoresAsync(string? model = null, WorkspaceId? workspace = null)
    {
        var scores = new List<StoredScore>();
        await foreach (var score in Store.Scores.ListScoresAsync(workspace ?? Default, model, Ct))
        {
            scores.Add(score);
        }

        return scores;
    }

    protected Task<long> CountEventsAsync(WorkspaceId? workspace = null) => Store.Events.CountEventsAsync(workspace ?? Default, Ct);
}
