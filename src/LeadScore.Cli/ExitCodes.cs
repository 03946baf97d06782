namespace LeadScore.Cli;

/// <summary>What the process tells the shell: scripts branch on these.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input or the arguments need changing; the message says what.</summary>
    public const int UserError = 1;

    /// <summary>A bug or an environment failure.</summary>
    public const int InternalError = 2;
}
