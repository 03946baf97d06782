namespace LeadScore.Cli.Input;

/// <summary>A line of an input file that was rejected, and why.</summary>
internal sealed record InputError(string File, int Line, string Reason)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Reason}" : $"{File}: {Reason}";
}
