using System.Globalization;
using System.Net;
using System.Text;
using LeadScore.Engine.Review;
using static LeadScore.Server.Features.Reviews.ReviewFormat;

namespace LeadScore.Server.Features.Reviews;

/// <summary>
/// The review's three charts as inline SVG: no script, no library, no external file, so the page
/// works as a mail attachment or offline. Each is a vertical bar chart drawn by <see cref="BarChart"/>;
/// every bar carries a tooltip and the chart a title and description for screen readers. Colours come
/// from CSS classes the page defines.
/// </summary>
internal static class ReviewCharts
{
    private const double Width = 640, Height = 300, Left = 52, Right = 64, Top = 36, Bottom = 50;
    // The right margin holds the reference line's label, clear of the bars.
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
    private static readonly int[] NiceSteps = [1, 2, 5, 10];

    private sealed record Series(string Name, string CssClass);

    private sealed record Bar(double Value, string? Label, string Tooltip);

    private sealed record Group(string Label, string? Note, IReadOnlyList<Bar> Bars);

    private sealed record Reference(double Value, string Label);

    public static string Distribution(ScoreReviewReport report)
    {
        var notConverted = report.Leads - report.Converted;
        var groups = report.Distribution.Select(band =>
        {
            double converted = Share(band.Converted, report.Converted), rest = Share(band.NotConverted, notConverted);
            return new Group(Band(band), null,
            [
                new Bar(converted, converted > 0 ? WholePercent(converted) : null, $"{Band(band)} points: {Percent(converted)} of converters ({Count(band.Converted)})"),
                new Bar(rest, rest > 0 ? WholePercent(rest) : null, $"{Band(band)} points: {Percent(rest)} of leads that did not convert ({Count(band.NotConverted)})"),
            ]);
        }).ToList();
        return BarChart("distribution", "Score distribution: converted vs not converted",
            $"For each points band, the share of the {Count(report.Converted)} converters and of the {Count(notConverted)} other leads whose points fall in it.",
            [new Series("Converted", "converted"), new Series("Not converted", "not-converted")], groups, WholePercent);
    }

    public static string Lift(ScoreReviewReport report)
    {
        var groups = report.Deciles.Select(decile => new Group(
            decile.Decile.ToString(CultureInfo.InvariantCulture), decile.Decile == 1 ? "top" : null,
            [new Bar(decile.Lift, ReviewFormat.Lift(decile.Lift),
                $"Decile {DecileLabel(decile)}, points {Number(decile.MinPoints)}–{Number(decile.MaxPoints)}: {Percent(decile.Rate)} converted ({Count(decile.Converted)} of {Count(decile.Leads)}), lift {ReviewFormat.Lift(decile.Lift)}")])).ToList();
        return BarChart("lift", "Lift by decile",
            $"Conversion rate of each tenth of leads ranked by points (decile 1 the top) over the overall rate of {Percent(report.ConversionRate)}; the dashed line is lift 1, the average lead.",
            [new Series("Lift", "lift")], groups, value => Number(value) + "×", new Reference(1, "lift 1"));
    }

    public static string Calibration(ScoreReviewReport report)
    {
        var groups = report.Distribution.Select(band => new Group(Band(band), $"n={Count(band.Leads)}",
            [new Bar(band.Rate, band.Leads == 0 ? null : WholePercent(band.Rate),
                $"{Band(band)} points: {Percent(band.Rate)} converted ({Count(band.Converted)} of {Count(band.Leads)})")])).ToList();
        return BarChart("calibration", "Calibration: conversion rate by points band",
            $"The share of leads in each points band that converted; the dashed line is the overall rate of {Percent(report.ConversionRate)}.",
            [new Series("Conversion rate", "rate")], groups, WholePercent, new Reference(report.ConversionRate, $"all {WholePercent(report.ConversionRate)}"));
    }

    private static string BarChart(
        string id, string title, string description, IReadOnlyList<Series> series, IReadOnlyList<Group> groups, Func<double, string> tick, Reference? reference = null)
    {
        var (top, step) = Scale(groups.SelectMany(g => g.Bars).Select(b => b.Value).Append(reference?.Value ?? 0).DefaultIfEmpty(0).Max());
        double Y(double value) => Top + PlotHeight * (1 - Math.Min(value, top) / top);

        var svg = new StringBuilder();
        svg.Append($"""<svg class="chart" viewBox="0 0 {F(Width)} {F(Height)}" role="img" aria-labelledby="{id}-title {id}-desc">""").AppendLine();
        svg.Append($"""<title id="{id}-title">{E(title)}</title><desc id="{id}-desc">{E(description)}</desc>""").AppendLine();

        for (var value = 0.0; value <= top + step / 2; value += step)
        {
            svg.Append($"""<line class="grid" x1="{F(Left)}" x2="{F(Width - Right)}" y1="{F(Y(value))}" y2="{F(Y(value))}"/>""");
            svg.Append($"""<text class="tick" x="{F(Left - 6)}" y="{F(Y(value) + 4)}" text-anchor="end">{E(tick(value))}</text>""").AppendLine();
        }

        var slot = PlotWidth / Math.Max(1, groups.Count);
        var barWidth = slot * 0.8 / series.Count;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var center = Left + (g + 0.5) * slot;
            for (var s = 0; s < group.Bars.Count; s++)
            {
                var bar = group.Bars[s];
                var x = Left + g * slot + slot * 0.1 + s * barWidth;
                var y = Y(Math.Max(0, bar.Value));
                svg.Append($"""<rect class="{series[s].CssClass}" x="{F(x + 1)}" y="{F(y)}" width="{F(barWidth - 2)}" height="{F(Top + PlotHeight - y)}"><title>{E(bar.Tooltip)}</title></rect>""");
                if (bar.Label is { } label)
                {
                    svg.Append($"""<text class="value" x="{F(x + barWidth / 2)}" y="{F(y - 4)}" text-anchor="middle">{E(label)}</text>""");
                }

                svg.AppendLine();
            }

            svg.Append($"""<text class="label" x="{F(center)}" y="{F(Top + PlotHeight + 16)}" text-anchor="middle">{E(group.Label)}</text>""");
            if (group.Note is { } note)
            {
                svg.Append($"""<text class="note" x="{F(center)}" y="{F(Top + PlotHeight + 30)}" text-anchor="middle">{E(note)}</text>""");
            }

            svg.AppendLine();
        }

        svg.Append($"""<line class="axis" x1="{F(Left)}" x2="{F(Width - Right)}" y1="{F(Top + PlotHeight)}" y2="{F(Top + PlotHeight)}"/>""").AppendLine();
        if (reference is { } line)
        {
            svg.Append($"""<line class="reference" x1="{F(Left)}" x2="{F(Width - Right)}" y1="{F(Y(line.Value))}" y2="{F(Y(line.Value))}"/>""");
            svg.Append($"""<text class="note" x="{F(Width - Right + 4)}" y="{F(Y(line.Value) + 4)}">{E(line.Label)}</text>""").AppendLine();
        }

        Legend(svg, series);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<Series> series)
    {
        var x = Left;
        foreach (var entry in series)
        {
            svg.Append($"""<rect class="{entry.CssClass}" x="{F(x)}" y="10" width="12" height="12"/>""");
            svg.Append($"""<text class="legend" x="{F(x + 17)}" y="20">{E(entry.Name)}</text>""").AppendLine();
            x += 30 + entry.Name.Length * 7;
        }
    }

    /// <summary>The top of the axis and the step between grid lines: a round number (1, 2 or 5 times a power of ten) for about four lines.</summary>
    private static (double Top, double Step) Scale(double max)
    {
        if (max <= 0 || !double.IsFinite(max))
        {
            return (1, 0.25);
        }

        var rough = max / 4;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = NiceSteps.Select(m => m * power).First(s => s >= rough);
        return (Math.Ceiling(max / step - 1e-9) * step, step);
    }

    private static string WholePercent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
