using System.Net;
using System.Text.RegularExpressions;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    [Fact]
    public async Task OpenApi_IsAVersion3DocumentWithTheEndpointsAndTheBearerScheme()
    {
        await using var server = await StartServerAsync();
        using var anonymous = server.ClientWith(null);

        var document = await ShouldSucceedAsync(await anonymous.GetAsync("/openapi/v1.json", Ct));

        document.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
        var paths = document.GetProperty("paths");
        paths.TryGetProperty("/api/v1/events/batch", out var batch).ShouldBeTrue();
        batch.TryGetProperty("post", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/v1/contacts/{id}", out _).ShouldBeTrue();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Single().Value;
        scheme.GetProperty("type").GetString().ShouldBe("http");
        scheme.GetProperty("scheme").GetString().ShouldBe("bearer");
    }

    [Fact]
    public async Task Docs_ServeTheScalarPageWithoutScriptsFromOtherSites()
    {
        await using var server = await StartServerAsync();
        using var anonymous = server.ClientWith(null);

        using var response = await anonymous.GetAsync("/docs", Ct);
        var page = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.ShouldContain("LeadScore API");
        var sources = Regex.Matches(page, """<script[^>]*\bsrc\s*=\s*["']([^"']+)["']""", RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value).ToList();
        sources.ShouldNotBeEmpty();
        sources.ShouldAllBe(s => !s.StartsWith("http:", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && !s.StartsWith("//", StringComparison.Ordinal));
        page.ShouldNotContain("cdn.jsdelivr.net");
        foreach (var source in sources)
        {
            using var script = await anonymous.GetAsync(new Uri(response.RequestMessage!.RequestUri!, source), Ct);
            script.StatusCode.ShouldBe(HttpStatusCode.OK, source);
        }
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probes_Answer200WithoutAKey(string path)
    {
        await using var server = await StartServerAsync();
        using var anonymous = server.ClientWith(null);

        var body = await ShouldSucceedAsync(await anonymous.GetAsync(path, Ct));

        body.GetProperty("status").GetString().ShouldNotBeNullOrEmpty();
    }
}
