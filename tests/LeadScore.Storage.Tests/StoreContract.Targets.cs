using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private const string DealRules = """
        {"key": "senior-buyer", "category": "fit", "points": 15, "when": {"field": "contact.jobTitle", "contains": "VP"}},
        {"key": "software-account", "category": "fit", "points": 10, "when": {"field": "company.industry", "eq": "software"}},
        {"key": "big-deal", "category": "engagement", "points": 20, "when": {"field": "amount", "gte": 10000}},
        {"key": "demo", "category": "engagement", "points": 5, "event": {"type": "demo_requested"}}
        """;

    [Fact]
    public async Task DealModel_ContactAndCompanyFields_CountInTheDealScore()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme", ("industry", "software"))], Ct);
        await UpsertAsync(Some.Contact("c1", "acme", ("jobTitle", "VP Sales")));
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme", ("amount", 50_000), ("stage", "proposal"))], Ct);

        await PublishAsync(Some.Model(DealRules, "deals", "deal"));
        await IngestAsync(Some.Event("c1", "demo_requested"));

        var score = (await ScoreAsync("d1", "deals", RecordKind.Deal)).ShouldNotBeNull();
        score.Points.ShouldBe(50);
        Some.RulesIn(score.Line).ShouldBe(["senior-buyer", "software-account", "big-deal", "demo"]);
        (await Store.Models.GetModelVersionsAsync(Default, "deals", Ct)).ShouldHaveSingleItem().Target.ShouldBe(RecordKind.Deal);
    }

    [Fact]
    public async Task DealModel_LinkedContactOrCompanyChanges_RescoresTheDeal()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme", ("industry", "retail"))], Ct);
        await UpsertAsync(Some.Contact("c1", "acme", ("jobTitle", "Engineer")));
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme", ("amount", 500))], Ct);
        await PublishAsync(Some.Model(DealRules, "deals", "deal"));

        await UpsertAsync(Some.Contact("c1", "acme", ("jobTitle", "VP Sales")));
        var afterContact = await ScoreAsync("d1", "deals", RecordKind.Deal);
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme", ("industry", "software"))], Ct);
        var afterCompany = await ScoreAsync("d1", "deals", RecordKind.Deal);

        afterContact.ShouldNotBeNull().Points.ShouldBe(15);
        afterCompany.ShouldNotBeNull().Points.ShouldBe(25);
    }

    [Fact]
    public async Task CompanyModel_EventsOfAllItsContacts_CountForTheCompany()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme")], Ct);
        await UpsertAsync(Some.Contact("c1", "acme"), Some.Contact("c2", "acme"), Some.Contact("loner"));
        await PublishAsync(Some.Model(
            """{"key": "views", "category": "engagement", "points": 5, "per": "occurrence", "maxPoints": 50, "event": {"type": "page_view"}}""",
            "accounts", "company"));

        await IngestAsync([.. Some.Events("c1", "page_view", 2), .. Some.Events("c2", "page_view", 1), .. Some.Events("loner", "page_view", 5)]);

        var score = (await ScoreAsync("acme", "accounts", RecordKind.Company)).ShouldNotBeNull();
        score.Points.ShouldBe(15);
        (await HistoryAsync("acme", "accounts", RecordKind.Company)).Last().Cause.ShouldBe(ScoreChangeCause.Event);
    }

    [Fact]
    public async Task CompanyModel_ContactMovesToAnotherCompany_RescoresBoth()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme"), Some.Company("globex")], Ct);
        await UpsertAsync(Some.Contact("c1", "acme"));
        await IngestAsync(Some.Events("c1", "page_view", 2));
        await PublishAsync(Some.Model(
            """{"key": "views", "category": "engagement", "points": 5, "per": "occurrence", "maxPoints": 50, "event": {"type": "page_view"}}""",
            "accounts", "company"));

        await UpsertAsync(Some.Contact("c1", "globex"));

        (await ScoreAsync("acme", "accounts", RecordKind.Company)).ShouldNotBeNull().Points.ShouldBe(0);
        (await ScoreAsync("globex", "accounts", RecordKind.Company)).ShouldNotBeNull().Points.ShouldBe(10);
    }

    [Fact]
    public async Task UpsertDeals_NewDealAfterPublish_IsScoredAtOnce()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme", ("industry", "software"))], Ct);
        await UpsertAsync(Some.Contact("c1", "acme", ("jobTitle", "VP Sales")));
        await PublishAsync(Some.Model(DealRules, "deals", "deal"));

        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme", ("amount", 50_000))], Ct);

        (await ScoreAsync("d1", "deals", RecordKind.Deal)).ShouldNotBeNull().Points.ShouldBe(45);
    }

    [Fact]
    public async Task StoredLine_DealAndCompanyModels_EqualOfflineScoring()
    {
        var dealModel = Some.Model(DealRules, "deals", "deal");
        var companyModel = Some.Model(
            """{"key": "views", "category": "engagement", "points": 5, "per": "occurrence", "maxPoints": 50, "event": {"type": "page_view", "within": "7d"}}""",
            "accounts", "company");
        var company = Some.Company("acme", ("industry", "software"));
        var contact = Some.Contact("c1", "acme", ("jobTitle", "VP Sales"));
        var deal = Some.Deal("d1", "c1", "acme", ("amount", 50_000));
        var events = new[] { Some.Event("c1", "page_view", Some.Now.AddDays(-2)), Some.Event("c1", "demo_requested", Some.Now.AddDays(-1)) };
        await Store.Records.UpsertCompaniesAsync(Default, [company], Ct);
        await UpsertAsync(contact);
        await Store.Records.UpsertDealsAsync(Default, [deal], Ct);
        await PublishAsync(dealModel);
        await PublishAsync(companyModel);

        await IngestAsync(events);

        var activities = events.Select(Some.Activity).ToArray();
        (await ScoreAsync("d1", "deals", RecordKind.Deal)).ShouldNotBeNull().Line.ShouldBe(Some.OfflineLine(
            dealModel, ScoringSubject.ForDeal("d1", deal.Fields, contact.Fields, company.Fields, activities), Some.Now, "deal"));
        (await ScoreAsync("acme", "accounts", RecordKind.Company)).ShouldNotBeNull().Line.ShouldBe(Some.OfflineLine(
            companyModel, ScoringSubject.ForCompany("acme", company.Fields, [activities]), Some.Now, "company"));
    }
}
