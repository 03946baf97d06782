using System.CommandLine;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using LeadScore.Storage;

namespace LeadScore.Cli.Commands;

/// <summary>The <c>--db</c> and <c>--workspace</c> options every command that uses the store shares, and opening it.</summary>
internal sealed class StoreOptions
{
    public Option<string> Db { get; } = new("--db")
    {
        HelpName = "path|connection",
        Description = "The database: a SQLite file, or a PostgreSQL connection string (Host=...;Database=...) or URL (postgres://...).",
        DefaultValueFactory = _ => LeadStore.DefaultSqlitePath,
    };

    public Option<string> Workspace { get; } = new("--workspace")
    {
        HelpName = "id",
        Description = "The workspace (tenant) to use: lower-case letters, digits, '-' and '_'.",
        DefaultValueFactory = _ => WorkspaceId.Default.Value,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Db);
        command.Options.Add(Workspace);
    }

    /// <summary>The workspace named on the command line; null, with the reason written to <paramref name="error"/>, when it is not a valid id.</summary>
    public WorkspaceId? GetWorkspace(ParseResult parse, TextWriter error)
    {
        var value = parse.GetValue(Workspace);
        if (WorkspaceId.IsValid(value))
        {
            return new WorkspaceId(value!);
        }

        error.WriteLine($"leadscore: --workspace '{value}' is not a workspace id: use 1 to {WorkspaceId.MaxLength} lower-case letters, digits, '-' or '_'.");
        return null;
    }

    /// <summary>
    /// The workspace named on the command line and the store opened for it, for writing (created when
    /// missing) or for reading (it must exist). When either fails, the reason is written to
    /// <paramref name="error"/> and <c>ExitCode</c> is what the command returns: a bad workspace or a
    /// missing database is the user's to fix (1), a database that cannot be created is not (2).
    /// </summary>
    public async Task<(ILeadStore? Store, WorkspaceId Workspace, int ExitCode)> OpenWorkspaceAsync(
        ParseResult parse, bool forWriting, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (GetWorkspace(parse, error) is not { } workspace)
        {
            return (null, default, ExitCodes.UsageError);
        }

        var store = forWriting
            ? await OpenForWritingAsync(parse, workspace, error, clock, cancellationToken)
            : await OpenExistingAsync(parse, error, clock, cancellationToken);
        return (store, workspace, store is not null ? ExitCodes.Success : forWriting ? ExitCodes.InternalError : ExitCodes.UsageError);
    }

    /// <summary>
    /// Opens the workspace's store (see <see cref="OpenWorkspaceAsync"/>), runs <paramref name="action"/>
    /// on it and closes it: the action's exit code, or the failure to open's.
    /// </summary>
    [SuppressMessage("Design", "CA1068", Justification = "The action comes last, so that each command's body reads as a block after the call.")]
    public async Task<int> RunAsync(
        ParseResult parse, bool forWriting, TextWriter error, TimeProvider clock, CancellationToken cancellationToken,
        Func<ILeadStore, WorkspaceId, Task<int>> action)
    {
        var open = await OpenWorkspaceAsync(parse, forWriting, error, clock, cancellationToken);
        if (open.Store is null)
        {
            return open.ExitCode;
        }

        await using var store = open.Store;
        return await action(store, open.Workspace);
    }

    /// <summary>
    /// Opens the store to write into <paramref name="workspace"/>, creating the database and the
    /// workspace when they do not exist; null, with the reason written to <paramref name="error"/>,
    /// when the database cannot be reached or read.
    /// </summary>
    public async Task<ILeadStore?> OpenForWritingAsync(
        ParseResult parse, WorkspaceId workspace, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        var store = await OpenAsync(parse.GetValue(Db), error, clock, cancellationToken);
        if (store is not null && workspace != WorkspaceId.Default)
        {
            await store.Workspaces.EnsureWorkspaceAsync(workspace, workspace.Value, cancellationToken);
        }

        return store;
    }

    /// <summary>
    /// Opens the store for reading: a SQLite file that does not exist is a mistyped --db rather than an
    /// empty database, so it is reported instead of created.
    /// </summary>
    public Task<ILeadStore?> OpenExistingAsync(ParseResult parse, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        var connection = parse.GetValue(Db);
        if (PlainSqlitePath(connection) is { } path && !File.Exists(path))
        {
            error.WriteLine($"leadscore: there is no database at '{Path.GetFullPath(path)}'; check --db, or fill one with 'leadscore import' and 'leadscore model publish'.");
            return Task.FromResult<ILeadStore?>(null);
        }

        return OpenAsync(connection, error, clock, cancellationToken);
    }

    /// <summary>Opens the store a connection names; null, with the reason written to <paramref name="error"/>, when it cannot be opened.</summary>
    public static async Task<ILeadStore?> OpenAsync(string? connection, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            return await LeadStore.OpenAsync(connection, clock, cancellationToken);
        }
        catch (Exception ex) when (IsOpenFailure(ex))
        {
            error.WriteLine(CannotOpen(connection, ex));
            return null;
        }
    }

    /// <summary>Whether an exception from opening a store means the database is unreachable or unreadable, rather than a bug.</summary>
    public static bool IsOpenFailure(Exception ex) => ex is DbException or IOException or UnauthorizedAccessException or ArgumentException;

    /// <summary>The message for a database that cannot be opened.</summary>
    public static string CannotOpen(string? connection, Exception ex)
    {
        // A connection string may hold a password: only a plain file path is repeated.
        var what = PlainSqlitePath(connection) is { } path ? $"the SQLite database '{path}'" : "the database of --db";
        return $"leadscore: cannot open {what}: {ex.Message}";
    }

    /// <summary>The file of a SQLite connection written as a path or <c>sqlite:PATH</c>; null for connection strings and URLs.</summary>
    private static string? PlainSqlitePath(string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            return LeadStore.DefaultSqlitePath;
        }

        connection = connection.Trim();
        if (connection.Contains('=', StringComparison.Ordinal) || connection.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        return connection.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? connection["sqlite:".Length..] : connection;
    }
}
