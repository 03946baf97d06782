using System.Text;
using System.Text.Json;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Values;

public sealed class JsonValuesTests
{
    [Theory]
    [InlineData("""{"a": 1e400}""", "$.a", JsonValueFault.Number)]
    [InlineData("""{"a": [1, -1e400]}""", "$.a[1]", JsonValueFault.Number)]
    [InlineData("""{"a": {"b c": "\ud800"}}""", "$.a['b c']", JsonValueFault.Text)]
    [InlineData("""{"a": "x\u0000"}""", "$.a", JsonValueFault.Text)]
    [InlineData("""{"\udc00": 1}""", "$", JsonValueFault.Text)]
    public void Check_UnstorableValue_GivesItsPathAndFault(string json, string path, JsonValueFault fault)
    {
        using var document = JsonDocument.Parse(json);

        var problem = JsonValues.Check(document.RootElement);

        problem.ShouldNotBeNull();
        problem.Path.ShouldBe(path);
        problem.Fault.ShouldBe(fault);
    }

    [Fact]
    public void Check_BytesNotUtf8InAString_SaysSo()
    {
        using var document = JsonDocument.Parse((byte[])[.. "{\"a\": \""u8, 0xED, 0xA0, 0x80, .. "\"}"u8]);

        var problem = JsonValues.Check(document.RootElement);

        problem.ShouldNotBeNull();
        problem.Path.ShouldBe("$.a");
        problem.Reason.ShouldContain("not valid UTF-8");
    }

    [Fact]
    public void Check_OrdinaryDocument_FindsNothing()
    {
        using var document = JsonDocument.Parse("""{"a": [1e308, -0, 1e-400, "😀", true, null], "b": {"c": "été"}}""");

        JsonValues.Check(document.RootElement).ShouldBeNull();
    }

    [Fact]
    public void ReadScalar_FiniteNumber_IsANumberValue()
    {
        using var document = JsonDocument.Parse("12.5");

        var problem = JsonValues.ReadScalar(document.RootElement, "$", out var value);

        problem.ShouldBeNull();
        value.Number.ShouldBe(12.5);
    }

    [Fact]
    public void ReadScalar_NumberOutOfRange_IsAProblemAndNoValue()
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(new string('9', 400)));

        var problem = JsonValues.ReadScalar(document.RootElement, "$.n", out var value);

        problem.ShouldNotBeNull();
        problem.Reason.ShouldContain("out of range");
        value.IsMissing.ShouldBeTrue();
    }
}
