namespace LeadScore.SideBySide.Report;
internal static class ReportWriter
{
    public static int Run(string results, string output, string? unused) => 0;
}
