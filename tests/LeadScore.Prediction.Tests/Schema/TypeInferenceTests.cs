using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Schema;

namespace LeadScore.Prediction.Tests.Schema;

public sealed class TypeInferenceTests
{
    [Theory]
    [InlineData(new[] { "1", "2.5", "-3", "1e3" }, ColumnKind.Numeric)]
    [InlineData(new[] { "yes", "no", "Yes" }, ColumnKind.Boolean)]
    [InlineData(new[] { "true", "false" }, ColumnKind.Boolean)]
    [InlineData(new[] { "0", "1", "1", "0" }, ColumnKind.Boolean)]
    [InlineData(new[] { "0", "1", "2" }, ColumnKind.Numeric)]
    [InlineData(new[] { "2026-01-31", "2025-12-01T10:00:00Z" }, ColumnKind.Date)]
    [InlineData(new[] { "a", "b", "a", "b", "a" }, ColumnKind.Categorical)]
    [InlineData(new[] { "ann", "bob", "cy", "dee" }, ColumnKind.HighCardinalityText)]
    [InlineData(new string[0], ColumnKind.Empty)]
    public void InferKind_Values_GivesTheKind(string[] values, ColumnKind expected)
    {
        var kind = TypeInference.InferKind(values);

        kind.ShouldBe(expected);
    }

    [Fact]
    public void Describe_NumericWithMissing_ImputesTheMeanAndNotesTheGap()
    {
        var table = CsvTable.Parse("\"monthly visits\";y\n2;yes\nNA;no\n4;no\n").Table!;

        var column = TypeInference.Describe(table, 0, ColumnRole.Feature);

        column.Name.ShouldBe("monthly visits");
        column.Kind.ShouldBe(ColumnKind.Numeric);
        column.HasMissing.ShouldBeTrue();
        column.Imputation.ShouldBe(3);
    }

    [Fact]
    public void Describe_Categorical_KeepsLevelsMostFrequentFirst()
    {
        var table = CsvTable.Parse("plan\nbasic\npro\npro\npro\nbasic\nenterprise\n\n").Table!;

        var column = TypeInference.Describe(table, 0, ColumnRole.Feature);

        column.Kind.ShouldBe(ColumnKind.Categorical);
        column.Levels.ShouldBe(["pro", "basic", "enterprise"]);
    }

    [Fact]
    public void Describe_HighCardinalityText_IsIgnoredAsAFeature()
    {
        var table = CsvTable.Parse("email\na@x\nb@x\nc@x\n").Table!;

        var column = TypeInference.Describe(table, 0, ColumnRole.Feature);

        column.Role.ShouldBe(ColumnRole.Ignored);
    }
}
