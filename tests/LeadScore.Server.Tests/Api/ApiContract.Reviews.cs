using System.Net;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    [Fact]
    public async Task Review_JudgesThePublishedModelAgainstOutcomes_AsJsonMarkdownOrHtml()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        await ArrangeFunnelAsync(server.Client);

        var review = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model/review?since=90d", Ct));
        var markdown = await server.Client.GetAsync("/api/v1/models/test-model/review?since=90d&format=md", Ct);
        var html = await server.Client.GetAsync("/api/v1/models/test-model/review?since=90d&format=html", Ct);

        var report = review.GetProperty("report");
        report.GetProperty("modelKey").GetString().ShouldBe("test-model");
        report.GetProperty("leads").GetInt32().ShouldBeGreaterThan(150);
        report.GetProperty("converted").GetInt32().ShouldBeGreaterThan(20);
        report.GetProperty("health").GetProperty("auc").GetDouble().ShouldBeGreaterThan(0.6, "VPs at large companies get 50 points and convert far more often");
        report.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "senior").GetProperty("lift").GetDouble().ShouldBeGreaterThan(2);
        var proposal = review.GetProperty("proposal");
        proposal.GetProperty("model").GetProperty("key").GetString().ShouldBe("test-model");
        proposal.GetProperty("backtest").GetProperty("published").GetProperty("auc").GetDouble()
            .ShouldBe(report.GetProperty("health").GetProperty("auc").GetDouble(), 1e-9, "the backtest's published side is the report's model on the same leads");
        markdown.StatusCode.ShouldBe(HttpStatusCode.OK);
        markdown.Content.Headers.ContentType!.MediaType.ShouldBe("text/markdown");
        (await markdown.Content.ReadAsStringAsync(Ct)).ShouldContain("test-model");
        html.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await html.Content.ReadAsStringAsync(Ct)).ShouldContain("<svg");
    }

    [Fact]
    public async Task StoredReview_SavesTheProposalAsADraft_ThatTheBacktestReplaysBesideThePublishedVersion()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        await ArrangeFunnelAsync(server.Client);

        var stored = await ShouldSucceedAsync(await server.Client.PostAsync("/api/v1/models/test-model/reviews?since=90d", null, Ct), HttpStatusCode.Created);
        var id = stored.GetProperty("id").GetInt64();
        var listed = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model/reviews", Ct));
        var again = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/models/test-model/reviews/{id}", Ct));
        var versions = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model", Ct));
        var backtest = await ShouldSucceedAsync(await server.Client.PostAsync("/api/v1/models/test-model/backtest?since=90d&version=2", null, Ct));
        var same = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/models/test-model/backtest?since=90d", TestModel));

        stored.GetProperty("draftVersion").GetInt32().ShouldBe(2);
        stored.GetProperty("review").GetProperty("proposal").GetProperty("changes").GetArrayLength().ShouldBeGreaterThan(0);
        listed.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ShouldBe([id]);
        listed.GetProperty("reviews")[0].GetProperty("verdict").GetString().ShouldNotBeNullOrEmpty();
        listed.GetProperty("reviews")[0].TryGetProperty("review", out _).ShouldBeFalse("the list is a summary");
        again.GetProperty("review").GetProperty("report").GetProperty("leads").GetInt32().ShouldBe(stored.GetProperty("leads").GetInt32());
        var draft = versions.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == 2);
        draft.GetProperty("status").GetString().ShouldBe("draft", "a proposal waits for a person to publish it");
        backtest.GetProperty("draft").GetProperty("auc").GetDouble().ShouldBeGreaterThanOrEqualTo(backtest.GetProperty("published").GetProperty("auc").GetDouble() - 0.02);
        same.GetProperty("aucGain").GetDouble().ShouldBe(0);
        same.GetProperty("movedIn").GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task ReviewAndBacktest_RefuseWhatTheyCannotJudge_WithTheReason()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/models", TestModel.Replace("\"test-model\"", "\"unpublished\"", StringComparison.Ordinal)), HttpStatusCode.Created);
        var client = server.Client;

        Code(await ShouldBeProblemAsync(await client.GetAsync("/api/v1/models/nope/review", Ct), HttpStatusCode.NotFound)).ShouldBe("unknown-model");
        Detail(await ShouldBeProblemAsync(await client.GetAsync("/api/v1/models/unpublished/review", Ct), HttpStatusCode.Conflict)).ShouldContain("no published version");
        Detail(await ShouldBeProblemAsync(await client.GetAsync("/api/v1/models/test-model/review?since=a%20month", Ct), HttpStatusCode.BadRequest)).ShouldContain("such as 30d");
        Code(await ShouldBeProblemAsync(await client.GetAsync("/api/v1/models/test-model/review?format=pdf", Ct), HttpStatusCode.BadRequest)).ShouldBe("invalid-format");
        Code(await ShouldBeProblemAsync(await client.GetAsync("/api/v1/models/test-model/reviews/9", Ct), HttpStatusCode.NotFound)).ShouldBe("unknown-review");
        var broken = TestModel.Replace("\"category\": \"fit\", \"points\": 30", "\"category\": \"nowhere\", \"points\": 30", StringComparison.Ordinal);
        var invalid = await ShouldBeProblemAsync(await PostAsync(client, "/api/v1/models/test-model/backtest", broken), HttpStatusCode.UnprocessableEntity);
        invalid.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("$.rules[0].category");
        Code(await ShouldBeProblemAsync(await PostAsync(client, "/api/v1/models/other/backtest", TestModel), HttpStatusCode.BadRequest)).ShouldBe("key-mismatch");
    }
}
