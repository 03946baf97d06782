namespace LeadScore.Cli;

/// <summary>What the process tells the shell: scripts branch on these.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input or the arguments need changing; the message says what.</summary>
    public const int UserError = 1;

    /// <summary>An import stored its valid rows but rejected others; each is reported with its line.</summary>
    public const int RowsRejected = 1;

    /// <summary>A bug or an environment failure (such as a database that cannot be opened).</summary>
    public const int InternalError = 2;

    /// <summary>
    /// A command cannot start as written: a missing file, a malformed --map or --workspace, an option
    /// the parser refuses. A user error like any other (1): the message says what to change. Nothing was stored.
    /// </summary>
    public const int UsageError = 1;
}
