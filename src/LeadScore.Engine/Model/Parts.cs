namespace LeadScore.Engine.Model;

/// <summary>Who a lead is (fit) or what a lead does (engagement).</summary>
public enum Dimension
{
    Fit,
    Engagement,
}

/// <summary>How the score number is formed from its parts.</summary>
public enum ScoreEncoding
{
    /// <summary>segment x 1000 + requirements met x 100 + points (at most 99).</summary>
    Composite,

    /// <summary>The points alone.</summary>
    Points,
}

/// <summary>Whether a behaviour rule awards its points once or for every matching event.</summary>
public enum Award
{
    Once,
    PerOccurrence,
}

/// <summary>A share of the scale given to one kind of evidence; its points are capped at <see cref="Budget"/>.</summary>
public sealed record Category(string Key, Dimension Dimension, double Budget, string? Name = null);

/// <summary>A must-have: each one met adds a block of 100 to a composite score.</summary>
public sealed record Requirement(string Key, Condition When, string? Name = null);

/// <summary>A lead that matches a disqualifier scores 0 and is never qualified.</summary>
public sealed record Disqualifier(string Key, Condition When, string? Name = null);

/// <summary>The thousands digit of a composite score, given by the first entry that matches.</summary>
public sealed record SegmentEntry(int Digit, Condition When, string? Name = null);

/// <summary>A named point level, such as MQL or SQL, that a qualified lead reaches.</summary>
public sealed record Threshold(string Key, double Points, string? Name = null);

/// <summary>A letter given to leads whose points are at least <see cref="Min"/>.</summary>
public sealed record GradeBand(string Grade, double Min);
