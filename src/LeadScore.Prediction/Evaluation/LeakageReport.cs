namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// What the leakage check found: the column it tested (the one that alone ranks the outcome best, null when
/// there was none to test or it could not beat the other columns' best), the columns flagged, and whether
/// training left them out (<see cref="LeftOut"/>) or kept them and only warns.
/// </summary>
public sealed record LeakageReport(FeatureLeakage? Tested, IReadOnlyList<FeatureLeakage> Flagged, bool LeftOut)
{
    public static readonly LeakageReport NotChecked = new(null, [], false);
}
