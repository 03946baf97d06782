using LeadScore.Cli.Import;
using LeadScore.Engine.Values;
using LeadScore.Storage.Rows;

namespace LeadScore.Cli.Tests.Import;

public sealed class ColumnMapTests
{
    [Fact]
    public void Apply_MappedColumn_TakesTheFieldNameAndKeepsItsColumn()
    {
        var map = ColumnMap.Parse(["E-mail=email"], out _)!;

        var row = map.Apply(Row(("id", "c1"), ("E-mail", "ana@northwind.example")));

        row.Cells.Select(c => c.Name).ShouldBe(["id", "email"]);
        row.Find("email")!.Column.ShouldBe(2);
    }

    [Fact]
    public void Apply_ColumnAlreadyNamedLikeTheField_GivesWayToTheMappedOne()
    {
        var map = ColumnMap.Parse(["Work email=email"], out _)!;

        var row = map.Apply(Row(("email", "old@example.com"), ("Work email", "ana@northwind.example")));

        row.Cells.ShouldHaveSingleItem().Value.Text.ShouldBe("ana@northwind.example");
    }

    [Fact]
    public void Apply_EmptyField_DropsTheColumn()
    {
        var map = ColumnMap.Parse(["notes="], out _)!;

        var row = map.Apply(Row(("id", "c1"), ("Notes", "call back")));

        row.Cells.Select(c => c.Name).ShouldBe(["id"]);
    }

    [Fact]
    public void Apply_SwappedColumns_SwapBothNames()
    {
        var map = ColumnMap.Parse(["a=b", "b=a"], out _)!;

        var row = map.Apply(Row(("a", "1"), ("b", "2")));

        row.Find("a")!.Value.Text.ShouldBe("2");
        row.Find("b")!.Value.Text.ShouldBe("1");
    }

    [Theory]
    [InlineData("email", "is not column=field")]
    [InlineData(" =email", "is not column=field")]
    public void Parse_MalformedSpec_SaysWhatTheFormIs(string spec, string message)
    {
        var map = ColumnMap.Parse([spec], out var problem);

        map.ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(message);
    }

    [Fact]
    public void Parse_TwoColumnsToOneField_IsRefused()
    {
        var map = ColumnMap.Parse(["Mail=email", "E-mail=email"], out var problem);

        map.ShouldBeNull();
        problem.ShouldBe("--map maps both 'Mail' and 'E-mail' to the field 'email'");
    }

    [Fact]
    public void CheckColumns_ColumnNotInHeader_ListsTheColumnsThereAre()
    {
        var map = ColumnMap.Parse(["E-mail=email"], out _)!;

        var problem = map.CheckColumns(["id", "Email"]);

        problem.ShouldBe("--map names 'E-mail', which the file does not have; its columns are 'id', 'Email'");
    }

    private static SourceRow Row(params (string Name, string Value)[] cells) =>
        new(2, [.. cells.Select((c, i) => new SourceCell(c.Name, FieldValue.FromText(c.Value), Column: i + 1))]);
}
