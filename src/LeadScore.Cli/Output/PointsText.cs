using System.Globalization;

namespace LeadScore.Cli.Output;

/// <summary>A reason's size as the dashboard shows it: signed probability points, whole from one point up ("+4 pts", "-0.4 pts").</summary>
internal static class PointsText
{
    public static string Signed(double points)
    {
        var size = Math.Abs(points);
        var text = size >= 1
            ? Math.Round(size, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)
            : size.ToString("0.0", CultureInfo.InvariantCulture);
        return $"{(points < 0 ? "-" : "+")}{text} pts";
    }
}
