using LeadScore.Engine.Values;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public sealed class FieldDefinitionTests
{
    [Theory]
    [InlineData("text", FieldKind.Text)]
    [InlineData("String", FieldKind.Text)]
    [InlineData("number", FieldKind.Number)]
    [InlineData("BOOLEAN", FieldKind.Boolean)]
    [InlineData("bool", FieldKind.Boolean)]
    [InlineData("date", FieldKind.Date)]
    [InlineData("datetime", FieldKind.Date)]
    public void ParseType_KnownName_GivesItsKind(string name, FieldKind kind)
    {
        FieldDefinition.ParseType(name).ShouldBe(kind);
    }

    [Theory]
    [InlineData("currency")]
    [InlineData("integer")]
    [InlineData("missing")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseType_UnknownName_IsNull(string? name)
    {
        FieldDefinition.ParseType(name).ShouldBeNull();
    }
}
