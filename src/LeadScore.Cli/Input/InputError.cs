namespace LeadScore.Cli.Input;

/// <summary>A line of an input file that was rejected, and why; <see cref="Column"/> is the CSV column at fault (0 when unknown).</summary>
internal sealed record InputError(string File, int Line, string Reason, int Column = 0)
{
    public override string ToString() => (Line, Column) switch
    {
        ( <= 0, _) => $"{File}: {Reason}",
        (_, <= 0) => $"{File}:{Line}: {Reason}",
        _ => $"{File}:{Line}:{Column}: {Reason}",
    };
}
