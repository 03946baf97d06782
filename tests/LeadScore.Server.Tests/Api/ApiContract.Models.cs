using System.Net;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    private const string InvalidModel = """
        {
          "key": "broken", "target": "contact", "scale": 100,
          "categories": [{"key": "fit", "dimension": "fit", "budget": 50}],
          "rules": [{"key": "r1", "category": "fit", "when": {"field": "employees", "gte": 10}}]
        }
        """;

    [Fact]
    public async Task SaveModel_Valid_Returns201WithTheDraftVersion()
    {
        await using var server = await StartServerAsync();

        using var response = await PostAsync(server.Client, "/api/v1/models", TestModel);
        var saved = await BodyAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, saved.ToString());
        response.Headers.Location!.ToString().ShouldBe("/api/v1/models/test-model/versions/1");
        saved.GetProperty("version").GetProperty("version").GetInt32().ShouldBe(1);
        saved.GetProperty("version").GetProperty("status").GetString().ShouldBe("draft");
    }

    [Fact]
    public async Task SaveModel_Invalid_Returns422WithErrorPathsAndSavesNothing()
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/models", InvalidModel), HttpStatusCode.UnprocessableEntity);

        Code(problem).ShouldBe("invalid-model");
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        errors.ShouldNotBeEmpty();
        errors.ShouldContain(e => e.GetProperty("path").GetString()!.StartsWith("$.rules[0]", StringComparison.Ordinal));
        var models = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models", Ct));
        models.GetProperty("models").GetArrayLength().ShouldBe(0);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/models/broken", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Validate_BodyOrNoBody_ReportsErrorsOfTheBodyOrTheNewestVersion()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/models", TestModel), HttpStatusCode.Created);

        var newest = await ShouldSucceedAsync(await server.Client.PostAsync("/api/v1/models/test-model/validate", null, Ct));
        var invalid = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/models/broken/validate", InvalidModel));
        var mismatch = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/models/other/validate", TestModel), HttpStatusCode.BadRequest);
        var unknown = await ShouldBeProblemAsync(await server.Client.PostAsync("/api/v1/models/nothing/validate", null, Ct), HttpStatusCode.NotFound);

        newest.GetProperty("valid").GetBoolean().ShouldBeTrue(newest.ToString());
        invalid.GetProperty("valid").GetBoolean().ShouldBeFalse();
        invalid.GetProperty("errors").EnumerateArray().ShouldContain(e => e.GetProperty("path").GetString()!.StartsWith("$.rules[0]", StringComparison.Ordinal));
        Code(mismatch).ShouldBe("key-mismatch");
        Code(unknown).ShouldBe("unknown-model");
    }

    [Fact]
    public async Task ListAndGetVersion_ShowEveryVersionAndTheDefinition()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/models", TestModel), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/models", TestModel.Replace("API test model", "Second", StringComparison.Ordinal)), HttpStatusCode.Created);

        var list = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models", Ct));
        var one = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model", Ct));
        var version = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models/test-model/versions/2", Ct));

        var model = list.GetProperty("models").EnumerateArray().Single();
        model.GetProperty("key").GetString().ShouldBe("test-model");
        model.GetProperty("latest").GetInt32().ShouldBe(2);
        model.TryGetProperty("published", out _).ShouldBeFalse();
        one.GetProperty("versions").GetArrayLength().ShouldBe(2);
        version.GetProperty("version").GetProperty("version").GetInt32().ShouldBe(2);
        version.GetProperty("definition").GetProperty("name").GetString().ShouldBe("Second");
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/models/test-model/versions/3", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Publish_Returns202WithAJobThatCompletesAndScoresEveryContact()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch", """[{"id": "c1", "jobTitle": "VP"}, {"id": "c2", "employees": 500}]"""));
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/models", TestModel), HttpStatusCode.Created);

        using var response = await server.Client.PostAsync("/api/v1/models/test-model/publish", null, Ct);
        var job = await BodyAsync(response);
        var completed = await WaitForJobAsync(server.Client, job.GetProperty("id").GetInt64());

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, job.ToString());
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/jobs/{job.GetProperty("id").GetInt64()}");
        completed.GetProperty("model").GetString().ShouldBe("test-model");
        completed.GetProperty("progress").GetDouble().ShouldBe(1);
        (await ScoreOfAsync(server.Client, "c1")).GetProperty("points").GetInt32().ShouldBe(30);
        (await ScoreOfAsync(server.Client, "c2")).GetProperty("points").GetInt32().ShouldBe(20);
        var list = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models", Ct));
        list.GetProperty("models")[0].GetProperty("published").GetInt32().ShouldBe(1);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/jobs/999999", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Publish_UnknownModel_Returns404()
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await server.Client.PostAsync("/api/v1/models/nothing/publish", null, Ct), HttpStatusCode.NotFound);

        Code(problem).ShouldBe("unknown-model");
    }

    [Fact]
    public async Task Archive_StopsScoring()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "c1", "jobTitle": "VP"}"""), HttpStatusCode.Created);
        await PublishAsync(server.Client);

        var archived = await ShouldSucceedAsync(await server.Client.PostAsync("/api/v1/models/test-model/archive", null, Ct));
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", $$"""{"id": "e1", "contact": "c1", "type": "demo_requested", "occurredAt": "{{DaysAgo(1)}}"}"""));
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "c2", "jobTitle": "VP"}"""), HttpStatusCode.Created);

        archived.GetProperty("versions").EnumerateArray().ShouldAllBe(v => v.GetProperty("status").GetString() == "archived");
        foreach (var id in new[] { "c1", "c2" })
        {
            var scores = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/{id}/scores", Ct));
            scores.GetProperty("scores").GetArrayLength().ShouldBe(0);
        }

        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/leads", Ct), HttpStatusCode.BadRequest);
        var republish = await ShouldBeProblemAsync(await server.Client.PostAsync("/api/v1/models/test-model/publish", null, Ct), HttpStatusCode.Conflict);
        Code(republish).ShouldBe("model-archived");
    }
}
