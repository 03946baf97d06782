namespace LeadScore.Engine.Parsing;

/// <summary>
/// One problem found in a model: where (a JSON path such as <c>$.rules[3].category</c>), a stable
/// code that tools can match on, and a message that says what to change.
/// </summary>
public sealed record ModelDiagnostic(string Path, string Code, string Message)
{
    public override string ToString() => $"{Path}: {Message} [{Code}]";
}
