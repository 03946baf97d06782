using System.Data.Common;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private const string PageViewRule =
        """{"key": "pages", "category": "engagement", "points": 5, "per": "occurrence", "maxPoints": 50, "event": {"type": "page_view"}}""";

    private static EventInput PageView(string id) => new(id, null, null, "page_view", Some.Now.AddMinutes(-1));

    private static readonly VisitorTrust MergeNamesAndSize = VisitorTrust.Create(["firstName", "employees"], VisitorClaims.Merge).Trust!;

    private Task<StoreResult<CollectResult>> CollectAsync(VisitorBatch batch, VisitorTrust? trust = null) =>
        Store.Tracking.CollectAsync(Default, batch, trust ?? VisitorTrust.Default, Ct);

    private static Dictionary<string, FieldValue> Traits(params (string Name, object Value)[] traits) => traits.ToDictionary(
        t => t.Name,
        t => t.Value switch { string text => FieldValue.FromText(text), bool flag => FieldValue.FromBoolean(flag), _ => FieldValue.FromNumber(Convert.ToDouble(t.Value, System.Globalization.CultureInfo.InvariantCulture)) },
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Every table and column of the database that holds <paramref name="text"/> anywhere in a text value.</summary>
    private async Task<List<string>> PlacesHoldingAsync(string text)
    {
        var postgres = Connection.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || Connection.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
        await using DbConnection connection = postgres ? new NpgsqlConnection(Connection) : new SqliteConnection($"Data Source={Connection}");
        await connection.OpenAsync(Ct);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = postgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var places = new List<string>();
        foreach (var table in tables)
        {
            await using var scan = connection.CreateCommand();
            scan.CommandText = $"SELECT * FROM {table}";
            await using var reader = await scan.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i) && reader.GetValue(i) is string value && value.Contains(text, StringComparison.Ordinal))
                    {
                        places.Add($"{table}.{reader.GetName(i)}");
                    }
                }
            }
        }

        return places;
    }

    [Fact]
    public async Task Collect_MergeSiteAnonymousThenIdentified_MergesTheVisitorIntoTheContactWithThatEmail()
    {
        await UpsertAsync(Some.Contact("ann", ("email", "ann@example.com")));
        await PublishAsync(Some.Model(PageViewRule));

        var first = await CollectAsync(new VisitorBatch("vis1", [PageView("p1"), PageView("p2")]), MergeNamesAndSize);
        var identified = await CollectAsync(new VisitorBatch("vis1", [PageView("p3")], "Ann@Example.com",
            new Dictionary<string, FieldValue> { ["firstName"] = FieldValue.FromText("Ann"), ["employees"] = FieldValue.FromText("250") }), MergeNamesAndSize);
        var later = await CollectAsync(new VisitorBatch("vis1", [PageView("p4")]), MergeNamesAndSize);

        first.Value!.ContactId.ShouldBe("v-vis1");
        (identified.Value!.ContactId, identified.Value.Merged).ShouldBe(("ann", true));
        later.Value!.ContactId.ShouldBe("ann");
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "v-vis1", Ct)).ShouldBeNull();
        (await ScoreAsync("v-vis1")).ShouldBeNull();
        (await Store.Events.GetEventsAsync(Default, "ann", Ct)).Select(e => e.Id).Order().ShouldBe(["p1", "p2", "p3", "p4"]);
        (await ScoreAsync("ann")).ShouldNotBeNull().Points.ShouldBe(20);
        var ann = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "ann", Ct)).ShouldNotBeNull();
        ann.Fields["firstName"].Text.ShouldBe("Ann");
        ann.Fields["employees"].Number.ShouldBe(250);
    }

    [Fact]
    public async Task Collect_IdentifiedWithANewEmail_TheVisitorBecomesThatContact()
    {
        await PublishAsync(Some.Model(PageViewRule));

        await CollectAsync(new VisitorBatch("vis2", [PageView("q1")]));
        var identified = await CollectAsync(new VisitorBatch("vis2", [], "new@example.com", Traits(("firstName", "Neo"), ("owner", "attacker"))));

        (identified.Value!.ContactId, identified.Value.Merged).ShouldBe(("v-vis2", false));
        var contact = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "v-vis2", Ct)).ShouldNotBeNull();
        contact.Fields["email"].Text.ShouldBe("new@example.com");
        contact.Fields["firstName"].Text.ShouldBe("Neo");
        contact.Fields.ContainsKey("owner").ShouldBeFalse();
        (await ScoreAsync("v-vis2")).ShouldNotBeNull().Points.ShouldBe(5);
    }

    [Theory]
    [InlineData("", null, "invalid-visitor")]
    [InlineData("a b", null, "invalid-visitor")]
    [InlineData("vis", "not-an-email", "invalid-email")]
    public async Task Collect_BadVisitorOrEmail_IsRefusedAndStoresNothing(string visitor, string? email, string code)
    {
        var result = await CollectAsync(new VisitorBatch(visitor, [PageView("r1")], email));

        result.Error.ShouldNotBeNull().Code.ShouldBe(code);
        (await CountEventsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task SiteKeys_CreateFindRevoke_AreFoundOnlyWhileValid()
    {
        var created = await Store.Tracking.CreateSiteKeyAsync(Default, "www", ["https://www.example.com"], ["pricing_viewed"],
            VisitorTrust.Create(["firstName", "jobTitle"], VisitorClaims.Merge).Trust!, Ct);

        var found = await Store.Tracking.FindSiteKeyAsync(created.Key, Ct);
        (await Store.Tracking.RevokeSiteKeyAsync(Default, created.Id, Ct)).ShouldBeTrue();

        found.ShouldNotBeNull().Origins.ShouldBe(["https://www.example.com"]);
        found.Trust.Traits.ShouldBe(["firstName", "jobTitle"]);
        found.Trust.Claims.ShouldBe(VisitorClaims.Merge);
        found.Allows("pricing_viewed").ShouldBeTrue();
        found.Allows("page_view").ShouldBeTrue();
        found.Allows("demo_requested").ShouldBeFalse();
        (await Store.Tracking.FindSiteKeyAsync(created.Key, Ct)).ShouldBeNull();
        (await Store.Tracking.FindSiteKeyAsync("pk_nope", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TrackingSecret_IsMadeOnceAndKept()
    {
        var first = await Store.Tracking.GetTrackingSecretAsync(Default, Ct);
        var again = await Store.Tracking.GetTrackingSecretAsync(Default, Ct);

        first.Length.ShouldBeGreaterThan(40);
        again.ShouldBe(first);
    }

    [Fact]
    public async Task Collect_IdentifyNamingAnExistingContact_IsHeldAsAClaimAndChangesNothingOfThatContact()
    {
        await UpsertAsync(Some.Contact("p1", ("email", "p1@wa.example"), ("jobTitle", "Analyst"), ("owner", "maria"), ("lifecycleStage", "lead")));
        await PublishAsync(Some.Model(PageViewRule));
        var before = await ScoreAsync("p1");

        var attack = await CollectAsync(new VisitorBatch("attacker1", [PageView("a1")], "P1@WA.EXAMPLE", Traits(
            ("jobTitle", "CEO"), ("employees", 50000), ("owner", "attacker"), ("lifecycleStage", "customer"), ("tag.sales-ready", true), ("companyId", "evilco"), ("firstName", "Pat"))));
        var later = await CollectAsync(new VisitorBatch("attacker1", [PageView("a2")]));

        (attack.Value!.ContactId, attack.Value.Merged, attack.Value.HeldClaim).ShouldBe(("v-attacker1", false, "p1"));
        later.Value!.ContactId.ShouldBe("v-attacker1");
        var p1 = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "p1", Ct)).ShouldNotBeNull();
        p1.Fields.Keys.Order(StringComparer.Ordinal).ShouldBe(["email", "jobTitle", "lifecycleStage", "owner"]);
        (p1.Fields["jobTitle"].Text, p1.Fields["owner"].Text, p1.Fields["lifecycleStage"].Text).ShouldBe(("Analyst", "maria", "lead"));
        (await Store.Events.GetEventsAsync(Default, "p1", Ct)).ShouldBeEmpty();
        (await ScoreAsync("p1")).ShouldNotBeNull().Points.ShouldBe(before.ShouldNotBeNull().Points);
        (await Store.Events.GetEventsAsync(Default, "v-attacker1", Ct)).Select(e => e.Id).Order().ShouldBe(["a1", "a2"]);
        var claim = (await Store.Tracking.ListVisitorClaimsAsync(Default, Ct)).ShouldHaveSingleItem();
        (claim.VisitorId, claim.ContactId, claim.Email).ShouldBe(("attacker1", "p1", "p1@wa.example"));
        claim.Traits.ShouldBe(["firstName"]);
    }

    [Fact]
    public async Task ConfirmVisitorClaim_MergesTheVisitorAndFillsOnlyWhatTheContactLacks()
    {
        await UpsertAsync(Some.Contact("p1", ("email", "p1@wa.example"), ("lastName", "Smith")));
        await PublishAsync(Some.Model(PageViewRule));
        await CollectAsync(new VisitorBatch("vis3", [PageView("b1")], "p1@wa.example", Traits(("firstName", "Pat"), ("lastName", "Jones"))));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var confirmed = await Store.Tracking.ConfirmVisitorClaimAsync(Default, "vis3", Ct);
        var next = await CollectAsync(new VisitorBatch("vis3", [PageView("b2")]));
        var again = await Store.Tracking.ConfirmVisitorClaimAsync(Default, "vis3", Ct);

        (confirmed.Value!.ContactId, confirmed.Value.Merged).ShouldBe(("p1", true));
        next.Value!.ContactId.ShouldBe("p1");
        again.Error.ShouldNotBeNull().Code.ShouldBe("unknown-claim");
        var p1 = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "p1", Ct)).ShouldNotBeNull();
        (p1.Fields["firstName"].Text, p1.Fields["lastName"].Text).ShouldBe(("Pat", "Smith"));
        var activity = new List<ContactActivity>();
        await foreach (var contact in Store.Events.ReadContactActivityAsync(Default, Ct))
        {
            activity.Add(contact);
        }

        activity.Single(c => c.Id == "p1").FieldsChangedAt.Keys.ShouldBe(["firstName"], "the filled trait changed after creation; the kept last name did not");
        (await Store.Events.GetEventsAsync(Default, "p1", Ct)).Select(e => e.Id).Order().ShouldBe(["b1", "b2"]);
        (await ScoreAsync("p1")).ShouldNotBeNull().Points.ShouldBe(10);
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "v-vis3", Ct)).ShouldBeNull();
        (await Store.Tracking.ListVisitorClaimsAsync(Default, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RejectVisitorClaim_TheVisitorStaysItsOwnAnonymousContact()
    {
        await UpsertAsync(Some.Contact("p1", ("email", "p1@wa.example")));
        await CollectAsync(new VisitorBatch("vis4", [PageView("c1")], "p1@wa.example"));

        var rejected = await Store.Tracking.RejectVisitorClaimAsync(Default, "vis4", Ct);
        var next = await CollectAsync(new VisitorBatch("vis4", [PageView("c2")]));

        rejected.ShouldBeTrue();
        (await Store.Tracking.RejectVisitorClaimAsync(Default, "vis4", Ct)).ShouldBeFalse();
        next.Value!.ContactId.ShouldBe("v-vis4");
        (await Store.Events.GetEventsAsync(Default, "p1", Ct)).ShouldBeEmpty();
        (await Store.Tracking.ConfirmVisitorClaimAsync(Default, "vis4", Ct)).Error.ShouldNotBeNull().Code.ShouldBe("unknown-claim");
    }

    [Fact]
    public async Task Collect_WithAProvenContact_MergesTheVisitorWhateverTheClaimsSetting()
    {
        await UpsertAsync(Some.Contact("p1", ("email", "p1@wa.example")));
        await CollectAsync(new VisitorBatch("vis5", [PageView("d1")]));

        var proven = await CollectAsync(new VisitorBatch("vis5", [PageView("d2")], ConfirmedContact: "p1"));
        var unknown = await CollectAsync(new VisitorBatch("vis6", [PageView("d3")], ConfirmedContact: "nobody"));

        (proven.Value!.ContactId, proven.Value.Merged).ShouldBe(("p1", true));
        (await Store.Events.GetEventsAsync(Default, "p1", Ct)).Select(e => e.Id).Order().ShouldBe(["d1", "d2"]);
        unknown.Value!.ContactId.ShouldBe("v-vis6");
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "nobody", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Collect_AProvenContactOnABrowsersFirstVisit_JoinsItButMergesNothing()
    {
        await UpsertAsync(Some.Contact("p1", ("email", "p1@wa.example")));

        // The email link's proof arrives with the first page this browser ever sent: there is no anonymous contact to merge.
        var first = await CollectAsync(new VisitorBatch("vis8", [PageView("g1")], ConfirmedContact: "p1"));

        (first.Value!.ContactId, first.Value.Merged).ShouldBe(("p1", false));
        (await Store.Events.GetEventsAsync(Default, "p1", Ct)).Select(e => e.Id).ShouldBe(["g1"]);
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "v-vis8", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Collect_ABrowserOfAContactThatNamesAnotherEmail_NeverChangesThatContactsEmail()
    {
        await UpsertAsync(Some.Contact("p1", ("email", "p1@wa.example")));
        await CollectAsync(new VisitorBatch("vis7", [PageView("e1")], ConfirmedContact: "p1"));

        var other = await CollectAsync(new VisitorBatch("vis7", [PageView("e2")], "someone@else.example"));

        other.Value!.ContactId.ShouldBe("v-vis7");
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "p1", Ct)).ShouldNotBeNull().Fields["email"].Text.ShouldBe("p1@wa.example");
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "v-vis7", Ct)).ShouldNotBeNull().Fields["email"].Text.ShouldBe("someone@else.example");
    }

    [Theory]
    [InlineData("known")]
    [InlineData("anonymous")]
    public async Task Erase_AVisitorsContact_LeavesNoTraceAndTheOldBrowserNeverBringsItBack(string who)
    {
        await PublishAsync(Some.Model(PageViewRule));
        string contact;
        if (who == "known")
        {
            await UpsertAsync(Some.Contact("erase-me-42", ("email", "gone@wa.example")));
            await CollectAsync(new VisitorBatch("browser-42", [PageView("f1")], ConfirmedContact: "erase-me-42"));
            await CollectAsync(new VisitorBatch("browser-43", [PageView("f2")], "gone@wa.example"));
            contact = "erase-me-42";
        }
        else
        {
            await CollectAsync(new VisitorBatch("browser-42", [PageView("f1")], "gone@wa.example", Traits(("firstName", "Gone"))));
            contact = "v-browser-42";
        }

        (await Store.Records.EraseRecordAsync(Default, RecordKind.Contact, contact, Ct)).ShouldNotBeNull();
        var after = await CollectAsync(new VisitorBatch("browser-42", [PageView("f3")], "gone@wa.example"));

        after.Value!.ContactId.ShouldBeNull();
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, contact, Ct)).ShouldBeNull();
        (await PlacesHoldingAsync(contact)).ShouldBeEmpty();
        (await PlacesHoldingAsync("browser-42")).ShouldBeEmpty();
        (await PlacesHoldingAsync("gone@wa.example")).ShouldBeEmpty();
        (await Store.Events.GetEventsAsync(Default, contact, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task FindTrackingSecret_UnknownWorkspaceOrNoSecretYet_IsNullAndMakesNone()
    {
        var unknown = await Store.Tracking.FindTrackingSecretAsync(new WorkspaceId("no-such-workspace"), Ct);
        var notYet = await Store.Tracking.FindTrackingSecretAsync(Default, Ct);
        var stillNot = await Store.Tracking.FindTrackingSecretAsync(Default, Ct);

        var made = await Store.Tracking.GetTrackingSecretAsync(Default, Ct);
        var found = await Store.Tracking.FindTrackingSecretAsync(Default, Ct);

        unknown.ShouldBeNull();
        notYet.ShouldBeNull();
        stillNot.ShouldBeNull();
        found.ShouldBe(made);
    }
}
