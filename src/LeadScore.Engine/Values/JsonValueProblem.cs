namespace LeadScore.Engine.Values;

/// <summary>A JSON value that cannot be read and stored: where it is (a JSON path), what kind it is, and why (with how to fix it).</summary>
public sealed record JsonValueProblem(string Path, JsonValueFault Fault, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
