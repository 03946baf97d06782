using LeadScore.Engine.Values;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private const string PageViewRule =
        """{"key": "pages", "category": "engagement", "points": 5, "per": "occurrence", "maxPoints": 50, "event": {"type": "page_view"}}""";

    private static EventInput PageView(string id) => new(id, null, null, "page_view", Some.Now.AddMinutes(-1));

    [Fact]
    public async Task Collect_AnonymousThenIdentified_MergesTheVisitorIntoTheContactWithThatEmail()
    {
        await UpsertAsync(Some.Contact("ann", ("email", "ann@example.com")));
        await PublishAsync(Some.Model(PageViewRule));

        var first = await Store.CollectAsync(Default, new VisitorBatch("vis1", [PageView("p1"), PageView("p2")]), Ct);
        var identified = await Store.CollectAsync(Default, new VisitorBatch("vis1", [PageView("p3")], "Ann@Example.com",
            new Dictionary<string, FieldValue> { ["firstName"] = FieldValue.FromText("Ann"), ["employees"] = FieldValue.FromText("250") }), Ct);
        var later = await Store.CollectAsync(Default, new VisitorBatch("vis1", [PageView("p4")]), Ct);

        first.Value!.ContactId.ShouldBe("v-vis1");
        (identified.Value!.ContactId, identified.Value.Merged).ShouldBe(("ann", true));
        later.Value!.ContactId.ShouldBe("ann");
        (await Store.GetRecordAsync(Default, RecordKind.Contact, "v-vis1", Ct)).ShouldBeNull();
        (await ScoreAsync("v-vis1")).ShouldBeNull();
        (await Store.GetEventsAsync(Default, "ann", Ct)).Select(e => e.Id).Order().ShouldBe(["p1", "p2", "p3", "p4"]);
        (await ScoreAsync("ann")).ShouldNotBeNull().Points.ShouldBe(20);
        var ann = (await Store.GetRecordAsync(Default, RecordKind.Contact, "ann", Ct)).ShouldNotBeNull();
        ann.Fields["firstName"].Text.ShouldBe("Ann");
        ann.Fields["employees"].Number.ShouldBe(250);
    }

    [Fact]
    public async Task Collect_IdentifiedWithANewEmail_TheVisitorBecomesThatContact()
    {
        await PublishAsync(Some.Model(PageViewRule));

        await Store.CollectAsync(Default, new VisitorBatch("vis2", [PageView("q1")]), Ct);
        var identified = await Store.CollectAsync(Default, new VisitorBatch("vis2", [], "new@example.com"), Ct);

        (identified.Value!.ContactId, identified.Value.Merged).ShouldBe(("v-vis2", false));
        var contact = (await Store.GetRecordAsync(Default, RecordKind.Contact, "v-vis2", Ct)).ShouldNotBeNull();
        contact.Fields["email"].Text.ShouldBe("new@example.com");
        (await ScoreAsync("v-vis2")).ShouldNotBeNull().Points.ShouldBe(5);
    }

    [Theory]
    [InlineData("", null, "invalid-visitor")]
    [InlineData("a b", null, "invalid-visitor")]
    [InlineData("vis", "not-an-email", "invalid-email")]
    public async Task Collect_BadVisitorOrEmail_IsRefusedAndStoresNothing(string visitor, string? email, string code)
    {
        var result = await Store.CollectAsync(Default, new VisitorBatch(visitor, [PageView("r1")], email), Ct);

        result.Error.ShouldNotBeNull().Code.ShouldBe(code);
        (await CountEventsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task SiteKeys_CreateFindRevoke_AreFoundOnlyWhileValid()
    {
        var created = await Store.CreateSiteKeyAsync(Default, "www", ["https://www.example.com"], ["pricing_viewed"], Ct);

        var found = await Store.FindSiteKeyAsync(created.Key, Ct);
        (await Store.RevokeSiteKeyAsync(Default, created.Id, Ct)).ShouldBeTrue();

        found.ShouldNotBeNull().Origins.ShouldBe(["https://www.example.com"]);
        found.Allows("pricing_viewed").ShouldBeTrue();
        found.Allows("page_view").ShouldBeTrue();
        found.Allows("demo_requested").ShouldBeFalse();
        (await Store.FindSiteKeyAsync(created.Key, Ct)).ShouldBeNull();
        (await Store.FindSiteKeyAsync("pk_nope", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TrackingSecret_IsMadeOnceAndKept()
    {
        var first = await Store.GetTrackingSecretAsync(Default, Ct);
        var again = await Store.GetTrackingSecretAsync(Default, Ct);

        first.Length.ShouldBeGreaterThan(40);
        again.ShouldBe(first);
    }

    [Fact]
    public async Task FindTrackingSecret_UnknownWorkspaceOrNoSecretYet_IsNullAndMakesNone()
    {
        var unknown = await Store.FindTrackingSecretAsync(new WorkspaceId("no-such-workspace"), Ct);
        var notYet = await Store.FindTrackingSecretAsync(Default, Ct);
        var stillNot = await Store.FindTrackingSecretAsync(Default, Ct);

        var made = await Store.GetTrackingSecretAsync(Default, Ct);
        var found = await Store.FindTrackingSecretAsync(Default, Ct);

        unknown.ShouldBeNull();
        notYet.ShouldBeNull();
        stillNot.ShouldBeNull();
        found.ShouldBe(made);
    }
}
