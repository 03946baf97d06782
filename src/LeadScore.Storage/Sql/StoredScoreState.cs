using System.Data.Common;
using LeadScore.Storage.Automations;

namespace LeadScore.Storage.Sql;

/// <summary>Reads the columns of a <c>scores</c> row that automations compare into a <see cref="ScoreState"/>.</summary>
internal static class StoredScoreState
{
    public const string Columns = "score, points, grade, thresholds, qualified, disqualified_by, requirements_met";

    public const int ColumnCount = 7;

    public static ScoreState Read(DbDataReader reader, int first)
    {
        var qualified = reader.GetInt64(first + 4) != 0;
        var thresholds = reader.GetString(first + 3);
        return new ScoreState(
            reader.GetInt32(first),
            reader.GetInt32(first + 1),
            reader.NullableString(first + 2),
            thresholds.Length == 0 ? [] : [.. thresholds.Split(',')],
            qualified,
            !reader.IsDBNull(first + 5),
            // Rows scored before the column existed: qualified implies every requirement was met.
            reader.NullableInt64(first + 6) is { } met ? met != 0 : qualified);
    }

    public static ScoreState Of(Engine.Scoring.ScoreCard card, bool requirementsMet) => new(
        card.Score, card.Points, card.Grade, card.Thresholds, card.Qualified, card.Disqualified, requirementsMet);
}
