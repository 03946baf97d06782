using System.Collections.Concurrent;
using LeadScore.Storage.Automations;
using LeadScore.Storage.Deliveries;
using LeadScore.Storage.Events;
using LeadScore.Storage.Keys;
using LeadScore.Storage.Leads;
using LeadScore.Storage.Models;
using LeadScore.Storage.Outcomes;
using LeadScore.Storage.Predictive;
using LeadScore.Storage.Records;
using LeadScore.Storage.Reviews;
using LeadScore.Storage.Schema;
using LeadScore.Storage.Scores;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sources;
using LeadScore.Storage.Tracking;
using LeadScore.Storage.Workspaces;

namespace LeadScore.Storage.Sql;

/// <summary>
/// The store over SQL: the same statements on SQLite and PostgreSQL, with the differences kept in
/// <see cref="SqlDialect"/>. Every write is one transaction that also re-scores what it touched.
/// This root holds only what the facets share (the dialect, the clock, the re-score pipeline, the
/// workspaces known to exist); each facet, in its feature's folder, holds that feature's SQL.
/// </summary>
internal sealed class SqlLeadStore(SqlDialect dialect, TimeProvider time) : ILeadStore
{
    private readonly Rescorer _rescorer = new(new ModelCatalog(), new AutomationCatalog());

    // Workspaces are never deleted, so one seen to exist needs no further query.
    private readonly ConcurrentDictionary<string, bool> _knownWorkspaces = new(StringComparer.Ordinal);

    // Names this process on the jobs it runs, so that another process on the same database leaves them alone.
    private readonly string _instance = Guid.NewGuid().ToString("N");

    public string Description => dialect.Description;

    // The facets: each feature's face of this one store, with its SQL. They share what is below: the dialect, the clock, the re-score pipeline.
    public WorkspaceStore Workspaces => field ??= new(this);

    public RecordStore Records => field ??= new(this);

    public EventStore Events => field ??= new(this);

    public ModelStore Models => field ??= new(this);

    public ScoreStore Scores => field ??= new(this);

    public LeadRanking Leads => field ??= new(this);

    public OutcomeStore Outcomes => field ??= new(this);

    public PredictiveStore Predictive => field ??= new(this);

    public ReviewStore Reviews => field ??= new(this);

    public KeyStore Keys => field ??= new(this);

    public AutomationStore Automations => field ??= new(this);

    public DeliveryStore Deliveries => field ??= new(this);

    public TrackingStore Tracking => field ??= new(this);

    public SourceStore Sources => field ??= new(this);

    internal SqlDialect Dialect => dialect;

    internal TimeProvider Time => time;

    internal Rescorer Rescorer => _rescorer;

    internal ModelCatalog Catalog => _rescorer.Catalog;

    internal string Instance => _instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Migrator.MigrateAsync(dialect, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await Workspaces.EnsureWorkspaceAsync(WorkspaceId.Default, "Default workspace", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses a write to a workspace that does not exist (writes never create one by accident).</summary>
    internal async Task EnsureWorkspaceExistsAsync(WriteSession session, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        if (_knownWorkspaces.ContainsKey(workspace.Value))
        {
            return;
        }

        if (await session.ReadNumberAsync("SELECT COUNT(*) FROM workspaces WHERE workspace_id = @workspace", c => c.With("@workspace", workspace.Value), cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InvalidOperationException($"Workspace '{workspace}' does not exist; create it first.");
        }

        _knownWorkspaces[workspace.Value] = true;
    }

    public async ValueTask DisposeAsync() => await dialect.DisposeAsync().ConfigureAwait(false);
}
