using System.Text.RegularExpressions;
using LeadScore.Server.Http;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Http;

namespace LeadScore.Server.Tests.Http;

/// <summary>The catalogue of store failures: every one has a stable code and an HTTP status, stated, not defaulted.</summary>
public sealed class ProblemsTests
{
    public static TheoryData<StoreFailure> Failures => [.. Enum.GetValues<StoreFailure>()];

    [Theory]
    [MemberData(nameof(Failures))]
    public void StatusOf_EveryStoreFailure_HasAClientErrorStatus(StoreFailure failure)
    {
        var status = Problems.StatusOf(failure);

        status.ShouldBeInRange(400, 499);
        Problems.From(new StoreError(failure, "why")).StatusCode.ShouldBe(status);
    }

    [Fact]
    public void CodeOf_EveryStoreFailure_IsItsOwnKebabCaseCode()
    {
        var codes = Enum.GetValues<StoreFailure>().Select(StoreError.CodeOf).ToList();

        codes.ShouldAllBe(code => Regex.IsMatch(code, "^[a-z]+(-[a-z]+)*$"));
        codes.Distinct().Count().ShouldBe(codes.Count);
        StoreError.CodeOf(StoreFailure.UnknownModel).ShouldBe("unknown-model");
        Problems.StatusOf(StoreFailure.UnknownModel).ShouldBe(StatusCodes.Status404NotFound);
        Problems.StatusOf(StoreFailure.ModelArchived).ShouldBe(StatusCodes.Status409Conflict);
    }
}
