using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Subjects;

/// <summary>Deals and companies as a model sees them: prefixed fields for deals, all contacts' events for companies.</summary>
public sealed class ScoringSubjectTests
{
    private const string DealModel = """
        {"key": "deal-score", "target": "deal", "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 60}, {"key": "engagement", "dimension": "engagement", "budget": 40}],
         "rules": [
           {"key": "big-deal", "category": "fit", "points": 20, "when": {"field": "amount", "gte": 50000}},
           {"key": "exec-buyer", "category": "fit", "points": 15, "when": {"field": "contact.jobTitle", "matches": "(?i)\\bvp\\b"}},
           {"key": "software-account", "category": "fit", "points": 10, "when": {"field": "company.industry", "eq": "software"}},
           {"key": "demo", "category": "engagement", "points": 25, "event": {"type": "demo_requested"}}]}
        """;

    [Fact]
    public void ForDeal_ModelSeesTheDealsOwnFields()
    {
        var model = Some.Compile(DealModel);
        var deal = ScoringSubject.ForDeal("d1", Some.Fields(("amount", 80000), ("stage", "proposal")), null, null, []);

        var card = model.Score(deal);

        card.Rules.Select(r => r.Rule).ShouldBe(["big-deal"]);
    }

    [Fact]
    public void ForDeal_ModelSeesContactAndCompanyFieldsUnderAPrefix()
    {
        var model = Some.Compile(DealModel);
        var deal = ScoringSubject.ForDeal("d1", Some.Fields(("amount", 1000)),
            Some.Fields(("jobTitle", "VP Finance")), Some.Fields(("industry", "Software")), []);

        var card = model.Score(deal);

        card.Rules.Select(r => r.Rule).ShouldBe(["exec-buyer", "software-account"]);
        card.Points.ShouldBe(25);
    }

    [Fact]
    public void ForDeal_UnprefixedNameDoesNotReachTheContactsField()
    {
        var model = Some.Compile(DealModel.Replace("contact.jobTitle", "jobTitle", StringComparison.Ordinal));
        var deal = ScoringSubject.ForDeal("d1", Some.Fields(), Some.Fields(("jobTitle", "VP Finance")), null, []);

        var card = model.Score(deal);

        card.Points.ShouldBe(0);
    }

    [Fact]
    public void ForDeal_ModelSeesTheContactsEvents()
    {
        var model = Some.Compile(DealModel);
        var deal = ScoringSubject.ForDeal("d1", Some.Fields(), null, null, Some.Events("demo_requested", 3));

        var card = model.Score(deal);

        card.PointsOf("demo").ShouldBe(25);
    }

    [Fact]
    public void ForCompany_ModelSeesTheEventsOfAllItsContacts()
    {
        var model = Some.Compile("""
            {"key": "account", "target": "company", "encoding": "points",
             "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
             "rules": [
               {"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}},
               {"key": "opens", "category": "engagement", "points": 3, "per": "occurrence", "event": {"type": "email_open"}},
               {"key": "buying-group", "category": "engagement", "points": 10, "event": {"type": "page_view", "count": {"gte": 3}}}]}
            """);
        var company = ScoringSubject.ForCompany("acme", Some.Fields(("industry", "software")),
        [
            [Some.Event("email_open", 1), Some.Event("page_view", 1)],
            [Some.Event("email_open", 2), Some.Event("page_view", 2)],
            [Some.Event("page_view", 3)],
        ]);

        var card = model.Score(company);

        card.PointsOf("software").ShouldBe(10);
        card.PointsOf("opens").ShouldBe(6);
        card.PointsOf("buying-group").ShouldBe(10);
        card.SubjectId.ShouldBe("acme");
    }

    [Fact]
    public void ForContact_FieldNamesIgnoreCase()
    {
        var subject = ScoringSubject.ForContact("c1", new Dictionary<string, FieldValue> { ["JobTitle"] = FieldValue.FromText("VP") }, []);

        subject.Fields.ContainsKey("jobtitle").ShouldBeTrue();
    }
}
