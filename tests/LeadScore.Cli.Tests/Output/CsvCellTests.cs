using LeadScore.Cli.Output;

namespace LeadScore.Cli.Tests.Output;

public sealed class CsvCellTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)", "'@SUM(1+1)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "'\r=1+1")]
    [InlineData("-", "'-")]
    [InlineData("-12abc", "'-12abc")]
    public void Neutralise_CellAWorksheetWouldRunAsAFormula_GetsALeadingQuote(string cell, string expected)
    {
        var neutralised = CsvCell.Neutralise(cell);

        neutralised.ShouldBe(expected);
    }

    [Theory]
    [InlineData("-12")]
    [InlineData("-0.5")]
    [InlineData("+3")]
    [InlineData("-.5")]
    [InlineData("-1.5e-7")]
    [InlineData("42")]
    [InlineData("c-1042")]
    [InlineData("a=b")]
    [InlineData("")]
    public void Neutralise_PlainNumberOrTextNotStartingAFormula_IsLeftAsItIs(string cell)
    {
        var neutralised = CsvCell.Neutralise(cell);

        neutralised.ShouldBe(cell);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"")]
    [InlineData("-12", "-12")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("plain", "plain")]
    public void Write_NeutralisesThenQuotesWhatNeedsIt(string cell, string expected)
    {
        var written = CsvCell.Write(cell);

        written.ShouldBe(expected);
    }
}
