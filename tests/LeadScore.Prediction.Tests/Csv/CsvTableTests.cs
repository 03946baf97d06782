using LeadScore.Prediction.Csv;

namespace LeadScore.Prediction.Tests.Csv;

public sealed class CsvTableTests
{
    [Fact]
    public void Parse_SemicolonHeader_SplitsOnSemicolons()
    {
        var table = CsvTable.Parse("a;b;c\n1,5;x;y\n").Table!;

        table.Separator.ShouldBe(';');
        table.Columns.ShouldBe(["a", "b", "c"]);
        table.Rows[0].ShouldBe(["1,5", "x", "y"]);
    }

    [Fact]
    public void Parse_QuotedNamesWithSpacesAndQuotedCells_FollowRfc4180()
    {
        var table = CsvTable.Parse("\"lead id\",\"job title\",note\r\n7,\"Head, Sales\",\"said \"\"hi\"\"\nthen left\"\r\n").Table!;

        table.Columns.ShouldBe(["lead id", "job title", "note"]);
        table.Rows.Count.ShouldBe(1);
        table.Rows[0].ShouldBe(["7", "Head, Sales", "said \"hi\"\nthen left"]);
    }

    [Fact]
    public void Parse_EmptyUnknownNaAndNull_AreMissing()
    {
        var table = CsvTable.Parse("a,b,c,d,e\n,unknown,NA,null,\"Unknown\"\n").Table!;

        table.Rows[0].ShouldAllBe(cell => cell == null);
    }

    [Fact]
    public void Parse_RowWithTooFewCells_SaysWhichLine()
    {
        var result = CsvTable.Parse("a,b\n1,2\n3\n");

        result.Table.ShouldBeNull();
        result.Error.ShouldBe("line 3 has 1 cells but the header has 2");
    }

    [Fact]
    public void IndexOf_NameInAnotherCase_FindsTheColumn()
    {
        var table = CsvTable.Parse("Lead Id,y\n1,2\n").Table!;

        table.IndexOf("lead id").ShouldBe(0);
        table.IndexOf("nope").ShouldBe(-1);
    }
}
