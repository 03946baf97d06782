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
using LeadScore.Storage.Scores;
using LeadScore.Storage.Sources;
using LeadScore.Storage.Tracking;
using LeadScore.Storage.Workspaces;

namespace LeadScore.Storage;

/// <summary>
/// Everything LeadScore keeps: contacts, companies, deals, events, models, scores, history, outcomes
/// and jobs, per workspace. Every write that can change a score re-scores the records it touched
/// under every published model in the same transaction, so a stored score is never behind its data.
/// Implemented once over SQLite (the embedded default) and PostgreSQL (production); both pass the
/// same test suite. Its features are facets (the way Marten's session exposes <c>Events</c>):
/// <c>store.Records</c>, <c>store.Events</c>, <c>store.Tracking</c>...
/// </summary>
public interface ILeadStore : IAsyncDisposable
{
    /// <summary>The database this store uses, for messages ("sqlite:/path/leadscore.db").</summary>
    string Description { get; }

    /// <summary>The workspaces (tenants) of this database.</summary>
    WorkspaceStore Workspaces { get; }

    /// <summary>Contacts, companies and deals with their typed fields: upsert, read, list, delete and erase.</summary>
    RecordStore Records { get; }

    /// <summary>The event log: ingest (each event id once per workspace, the touched records re-scored in the same transaction) and read.</summary>
    EventStore Events { get; }

    /// <summary>Scoring models: versions, publication and the re-score jobs a publication starts.</summary>
    ModelStore Models { get; }

    /// <summary>Current scores with their explanations, their history, manual adjustments, and the sweep that re-scores what time changes.</summary>
    ScoreStore Scores { get; }

    /// <summary>The ranked list of leads sales works from.</summary>
    LeadRanking Leads { get; }

    /// <summary>What became of leads: conversions, won and lost deals.</summary>
    OutcomeStore Outcomes { get; }

    /// <summary>The predictive model: trained versions, per-lead predictions, settings and the training lease.</summary>
    PredictiveStore Predictive { get; }

    /// <summary>Monthly reviews of scoring models and the drafts they propose.</summary>
    ReviewStore Reviews { get; }

    /// <summary>API keys (stored hashed) and the dashboard sessions made from them.</summary>
    KeyStore Keys { get; }

    /// <summary>Automations and their run log.</summary>
    AutomationStore Automations { get; }

    /// <summary>The durable outbox of webhook deliveries: listed, replayed, claimed under a lease and completed.</summary>
    DeliveryStore Deliveries { get; }

    /// <summary>Activity capture: site keys, the tracking secret, what the website snippet sends, and visitor claims.</summary>
    TrackingStore Tracking { get; }

    /// <summary>What Segment, RudderStack and their SDKs send: sources and write keys, the event mapping, the names seen, and the ingest of their messages.</summary>
    SourceStore Sources { get; }
}
