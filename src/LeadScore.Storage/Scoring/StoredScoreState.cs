using System.Data.Common;
using LeadScore.Engine.Automations;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scoring;

/// <summary>Reads the columns of a <c>scores</c> row that automations compare into a <see cref="ScoreState"/>.</summary>
internal static class StoredScoreState
{
    public const string Columns = "score, points, grade, thresholds, qualified, disqualified_by, requirements_met";

    public const int ColumnCount = 7;

    public static ScoreState Read(DbDataReader reader, int first) => ReadColumns(reader, first).ToState();

    /// <summary>The columns as stored, cheap to read; <see cref="StoredScoreColumns.ToState"/> builds what triggers compare.</summary>
    public static StoredScoreColumns ReadColumns(DbDataReader reader, int first) => new(
        reader.GetInt32(first),
        reader.GetInt32(first + 1),
        reader.NullableString(first + 2),
        reader.GetString(first + 3),
        reader.GetInt64(first + 4) != 0,
        !reader.IsDBNull(first + 5),
        reader.NullableInt64(first + 6) is { } met ? met != 0 : null);

    public static ScoreState Of(Engine.Scoring.ScoreCard card, bool requirementsMet) => new(
        card.Score, card.Points, card.Grade, card.Thresholds, card.Qualified, card.Disqualified, requirementsMet);
}

/// <summary>A <c>scores</c> row's compared columns; <see cref="RequirementsMet"/> is null on rows scored before the column existed.</summary>
internal readonly record struct StoredScoreColumns(int Score, int Points, string? Grade, string Thresholds, bool Qualified, bool Disqualified, bool? RequirementsMet)
{
    public ScoreState ToState() => new(
        Score,
        Points,
        Grade,
        Thresholds.Length == 0 ? [] : [.. Thresholds.Split(',')],
        Qualified,
        Disqualified,
        // Rows scored before the column existed: qualified implies every requirement was met.
        RequirementsMet ?? Qualified);
}
