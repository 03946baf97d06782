using System.Data.Common;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scoring;

/// <summary>
/// The connections a publish job runs on: one it writes every chunk on, and, where the engine can
/// tell whether anyone else committed (SQLite), a second one that reads the next chunk's contacts and
/// events while the current chunk is scored and written. Reading a chunk took about as long as
/// scoring and writing it, one after the other on one connection; this way the two overlap.
/// </summary>
/// <remarks>
/// A chunk read ahead is what the chunk's own transaction would read only if nobody committed in
/// between. The job's chunks all write on <see cref="Writer"/>, and each reads the commit counter
/// (<see cref="SqlDialect.CommitsByOthersAsync"/>) as its transaction starts, holding the write
/// lock. The read-ahead for chunk N+1 starts after chunk N has read it, so it sees the database as of
/// then, apart from chunk N's own writes (scores, history and the job row, none of which it reads).
/// If chunk N+1 reads the same counter, nobody else committed from that moment until now, and what
/// was read ahead is current; otherwise it is dropped and the chunk reads in its own transaction.
/// </remarks>
internal sealed class JobLane : IAsyncDisposable
{
    private readonly SqlDialect _dialect;
    private readonly CancellationTokenSource _stop = new();
    private DbConnection? _reader;
    private Task<Rescorer.ReadAhead>? _pending;
    private long? _commitsByOthers;
    private bool _skipNext;

    private JobLane(SqlDialect dialect, DbConnection writer)
    {
        _dialect = dialect;
        Writer = writer;
    }

    /// <summary>The connection every chunk of the job writes on.</summary>
    public DbConnection Writer { get; }

    public static async Task<JobLane> OpenAsync(SqlDialect dialect, CancellationToken cancellationToken) =>
        new(dialect, await dialect.OpenAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Called first in each chunk's transaction: what was read ahead for this chunk, when nobody else
    /// committed since it started and it was read for an instant no later than this chunk's (a clock
    /// set back would need older events than were read); otherwise null, and the chunk reads for itself.
    /// </summary>
    public async Task<Rescorer.ReadAhead?> TakeReadAheadAsync(WriteSession session, CancellationToken cancellationToken)
    {
        var before = _commitsByOthers;
        _commitsByOthers = await _dialect.CommitsByOthersAsync(session, cancellationToken).ConfigureAwait(false);
        if (_pending is not { } pending)
        {
            return null;
        }

        _pending = null;
        var readAhead = await CompletedAsync(pending).ConfigureAwait(false);
        if (readAhead is not null && before is not null && before == _commitsByOthers && readAhead.AsOf <= session.Now)
        {
            return readAhead;
        }

        // Someone else is writing (an ingest between two chunks): the next read-ahead would likely be
        // dropped too, and would take a core from that writer while it is read.
        _skipNext = true;
        return null;
    }

    /// <summary>Starts reading the chunk after <paramref name="after"/>; called after <see cref="TakeReadAheadAsync"/> in the chunk before it.</summary>
    public void ReadAhead(WorkspaceId workspace, PublishedModel model, string after, int count, DateTimeOffset asOf)
    {
        if (_commitsByOthers is null || _pending is not null)
        {
            return;
        }

        if (_skipNext)
        {
            _skipNext = false;
            return;
        }

        var stop = _stop.Token;
        _pending = Task.Run(
            async () =>
            {
                _reader ??= await _dialect.OpenAsync(stop).ConfigureAwait(false);
                return await Rescorer.ReadAhead.ReadAsync(_dialect, _reader, workspace, model, after, count, asOf, stop).ConfigureAwait(false);
            },
            stop);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pending is { } pending)
        {
            await CompletedAsync(pending).ConfigureAwait(false);
        }

        if (_reader is not null)
        {
            await _reader.DisposeAsync().ConfigureAwait(false);
        }

        await Writer.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    // A read-ahead that failed (or was stopped) costs nothing but the time: the chunk reads for itself.
    private static async Task<Rescorer.ReadAhead?> CompletedAsync(Task<Rescorer.ReadAhead> pending)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or OperationCanceledException)
        {
            return null;
        }
    }
}
