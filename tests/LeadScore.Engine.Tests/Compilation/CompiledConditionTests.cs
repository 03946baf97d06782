namespace LeadScore.Engine.Tests.Compilation;

/// <summary>Every condition operator of the model format, evaluated through a one-rule model.</summary>
public sealed class CompiledConditionTests
{
    [Theory]
    [InlineData("US", true)]
    [InlineData("us", true)]
    [InlineData("CA", false)]
    public void Eq_ComparesTextIgnoringCase(string country, bool expected)
    {
        var holds = Some.Holds("""{"field": "country", "eq": "US"}""", Some.Contact(("country", country)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("250", true)]
    [InlineData("250.0", true)]
    [InlineData("251", false)]
    public void Eq_NumberOperand_ComparesNumericallyWithNumericText(string employees, bool expected)
    {
        var holds = Some.Holds("""{"field": "employees", "eq": 250}""", Some.Contact(("employees", employees)));

        holds.ShouldBe(expected);
    }

    [Fact]
    public void Eq_TextOperand_DoesNotTreatAZipCodeAsANumber()
    {
        var holds = Some.Holds("""{"field": "zip", "eq": "02134"}""", Some.Contact(("zip", 2134)));

        holds.ShouldBeFalse();
    }

    [Fact]
    public void Eq_BooleanOperand_MatchesBooleanValue()
    {
        var holds = Some.Holds("""{"field": "newsletter", "eq": true}""", Some.Contact(("newsletter", true)));

        holds.ShouldBeTrue();
    }

    [Theory]
    [InlineData("CA", true)]
    [InlineData("us", false)]
    public void Neq_IsTheOppositeOfEq(string country, bool expected)
    {
        var holds = Some.Holds("""{"field": "country", "neq": "US"}""", Some.Contact(("country", country)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("saas", true)]
    [InlineData("SOFTWARE", true)]
    [InlineData("retail", false)]
    public void In_MatchesAnyListedValueIgnoringCase(string industry, bool expected)
    {
        var holds = Some.Holds("""{"field": "industry", "in": ["software", "SaaS"]}""", Some.Contact(("industry", industry)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("retail", true)]
    [InlineData("Software", false)]
    public void NotIn_MatchesValuesOutsideTheList(string industry, bool expected)
    {
        var holds = Some.Holds("""{"field": "industry", "notIn": ["software", "saas"]}""", Some.Contact(("industry", industry)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("VP of Marketing", true)]
    [InlineData("Marketing Manager", true)]
    [InlineData("Sales Manager", false)]
    public void Contains_FindsTextIgnoringCase(string jobTitle, bool expected)
    {
        var holds = Some.Holds("""{"field": "jobTitle", "contains": "MARKETING"}""", Some.Contact(("jobTitle", jobTitle)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Responsable été", true)]
    [InlineData("RESPONSABLE ÉTÉ", true)]
    [InlineData("Responsable ete", false)]
    public void Contains_IgnoresTheCaseOfLettersBeyondAscii(string jobTitle, bool expected)
    {
        var holds = Some.Holds("""{"field": "jobTitle", "contains": "Été"}""", Some.Contact(("jobTitle", jobTitle)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Director of Sales", true)]
    [InlineData("director, EMEA", true)]
    [InlineData("Sales Director", false)]
    public void StartsWith_ComparesThePrefixIgnoringCase(string jobTitle, bool expected)
    {
        var holds = Some.Holds("""{"field": "jobTitle", "startsWith": "Director"}""", Some.Contact(("jobTitle", jobTitle)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("ann@RIVAL.example", true)]
    [InlineData("ann@rival.example.com", false)]
    public void EndsWith_ComparesTheSuffixIgnoringCase(string email, bool expected)
    {
        var holds = Some.Holds("""{"field": "email", "endsWith": "@rival.example"}""", Some.Contact(("email", email)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("VP Engineering", true)]
    [InlineData("Head of Growth", true)]
    [InlineData("Headhunter", false)]
    [InlineData("Chief of Staff assistant", true)]
    public void Matches_UsesADotNetRegularExpression(string jobTitle, bool expected)
    {
        var holds = Some.Holds("""{"field": "jobTitle", "matches": "(?i)\\b(vp|chief|head|director)\\b"}""", Some.Contact(("jobTitle", jobTitle)));

        holds.ShouldBe(expected);
    }

    [Fact]
    public void Matches_IsCaseSensitiveUnlessThePatternSaysOtherwise()
    {
        var holds = Some.Holds("""{"field": "jobTitle", "matches": "^VP"}""", Some.Contact(("jobTitle", "vp sales")));

        holds.ShouldBeFalse();
    }

    [Fact]
    public void Matches_PathologicalValue_TimesOutAsNoMatchInsteadOfStallingOrThrowing()
    {
        var value = new string('a', 40) + "!";

        var holds = Some.Holds("""{"field": "note", "matches": "^(a+)+$"}""", Some.Contact(("note", value)));

        holds.ShouldBeFalse();
    }

    [Theory]
    [InlineData("gt", 100, false)]
    [InlineData("gt", 99, true)]
    [InlineData("gte", 100, true)]
    [InlineData("gte", 101, false)]
    [InlineData("lt", 100, false)]
    [InlineData("lt", 101, true)]
    [InlineData("lte", 100, true)]
    [InlineData("lte", 99, false)]
    public void OrderedOperators_CompareNumbersAtTheBoundary(string op, int bound, bool expected)
    {
        var holds = Some.Holds($$"""{"field": "employees", "{{op}}": {{bound}}}""", Some.Contact(("employees", 100)));

        holds.ShouldBe(expected);
    }

    [Fact]
    public void Gte_NumericTextFromACsvCell_ComparesAsANumber()
    {
        var holds = Some.Holds("""{"field": "employees", "gte": 100}""", Some.Contact(("employees", "250")));

        holds.ShouldBeTrue();
    }

    [Fact]
    public void Gte_TextThatIsNotANumber_Fails()
    {
        var holds = Some.Holds("""{"field": "employees", "gte": 0}""", Some.Contact(("employees", "many")));

        holds.ShouldBeFalse();
    }

    [Fact]
    public void Gt_DateOperand_ComparesInstants()
    {
        var holds = Some.Holds("""{"field": "createdAt", "gt": "2026-01-01"}""", Some.Contact(("createdAt", "2026-01-02T00:00:00Z")));

        holds.ShouldBeTrue();
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(50, true)]
    [InlineData(30, true)]
    [InlineData(9, false)]
    [InlineData(51, false)]
    public void Between_IncludesBothBounds(int age, bool expected)
    {
        var holds = Some.Holds("""{"field": "age", "between": [10, 50]}""", Some.Contact(("age", age)));

        holds.ShouldBe(expected);
    }

    [Fact]
    public void Exists_HoldsForAnyValue()
    {
        var holds = Some.Holds("""{"field": "phone", "exists": true}""", Some.Contact(("phone", "555-0100")));

        holds.ShouldBeTrue();
    }

    [Fact]
    public void ExistsFalse_MeansMissing()
    {
        var holds = Some.Holds("""{"field": "phone", "exists": false}""", Some.Contact());

        holds.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("555-0100", false)]
    public void Missing_HoldsForAnAbsentOrEmptyField(string? phone, bool expected)
    {
        var contact = phone is null ? Some.Contact() : Some.Contact(("phone", phone));

        var holds = Some.Holds("""{"field": "phone", "missing": true}""", contact);

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("2025-12-31", true)]
    [InlineData("2026-01-01", false)]
    [InlineData("not a date", false)]
    public void Before_ComparesWithAnIsoDate(string createdAt, bool expected)
    {
        var holds = Some.Holds("""{"field": "createdAt", "before": "2026-01-01"}""", Some.Contact(("createdAt", createdAt)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:01Z", true)]
    [InlineData("2026-01-01", false)]
    public void After_ComparesWithAnIsoDate(string createdAt, bool expected)
    {
        var holds = Some.Holds("""{"field": "createdAt", "after": "2026-01-01"}""", Some.Contact(("createdAt", createdAt)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(29.9, true)]
    [InlineData(30, false)]
    [InlineData(45, false)]
    [InlineData(-1, false)]
    public void WithinLast_HoldsForDatesInTheWindowBeforeTheScoringTime(double daysAgo, bool expected)
    {
        var holds = Some.Holds("""{"field": "createdAt", "withinLast": "30d"}""", Some.Contact(("createdAt", Some.Now.AddDays(-daysAgo))));

        holds.ShouldBe(expected);
    }

    [Fact]
    public void WithinLast_Hours_UsesTheHourWindow()
    {
        var contact = Some.Contact(("lastSeen", Some.Now.AddHours(-13)));

        var holds = Some.Holds("""{"field": "lastSeen", "withinLast": "12h"}""", contact);

        holds.ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"field": "country", "eq": "US"}""")]
    [InlineData("""{"field": "country", "neq": "US"}""")]
    [InlineData("""{"field": "country", "in": ["US"]}""")]
    [InlineData("""{"field": "country", "notIn": ["US"]}""")]
    [InlineData("""{"field": "country", "contains": "U"}""")]
    [InlineData("""{"field": "country", "startsWith": "U"}""")]
    [InlineData("""{"field": "country", "endsWith": "S"}""")]
    [InlineData("""{"field": "country", "matches": ".*"}""")]
    [InlineData("""{"field": "country", "gt": 0}""")]
    [InlineData("""{"field": "country", "gte": 0}""")]
    [InlineData("""{"field": "country", "lt": 0}""")]
    [InlineData("""{"field": "country", "lte": 0}""")]
    [InlineData("""{"field": "country", "between": [0, 1]}""")]
    [InlineData("""{"field": "country", "exists": true}""")]
    [InlineData("""{"field": "country", "before": "2100-01-01"}""")]
    [InlineData("""{"field": "country", "after": "1900-01-01"}""")]
    [InlineData("""{"field": "country", "withinLast": "30d"}""")]
    public void MissingField_FailsEveryOperatorButMissing(string condition)
    {
        var holds = Some.Holds(condition, Some.Contact(("city", "Boston")));

        holds.ShouldBeFalse();
    }

    [Fact]
    public void FieldNames_AreComparedIgnoringCase()
    {
        var holds = Some.Holds("""{"field": "JOBTITLE", "contains": "vp"}""", Some.Contact(("jobTitle", "VP Sales")));

        holds.ShouldBeTrue();
    }

    [Fact]
    public void CustomField_IsTestedLikeAStandardOne()
    {
        var holds = Some.Holds("""{"field": "plan", "eq": "enterprise"}""", Some.Contact(("plan", "Enterprise")));

        holds.ShouldBeTrue();
    }

    [Theory]
    [InlineData("US", 20, true)]
    [InlineData("US", 17, false)]
    [InlineData("DE", 20, false)]
    public void All_HoldsWhenEveryInnerConditionHolds(string country, int age, bool expected)
    {
        var condition = """{"all": [{"field": "country", "eq": "US"}, {"field": "age", "gte": 18}]}""";

        var holds = Some.Holds(condition, Some.Contact(("country", country), ("age", age)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("VP Sales", "staff", true)]
    [InlineData("Analyst", "executive", true)]
    [InlineData("Analyst", "staff", false)]
    public void Any_HoldsWhenOneInnerConditionHolds(string jobTitle, string seniority, bool expected)
    {
        var condition = """{"any": [{"field": "jobTitle", "startsWith": "VP"}, {"field": "seniority", "eq": "executive"}]}""";

        var holds = Some.Holds(condition, Some.Contact(("jobTitle", jobTitle), ("seniority", seniority)));

        holds.ShouldBe(expected);
    }

    [Theory]
    [InlineData("student", false)]
    [InlineData("customer", true)]
    public void Not_InvertsTheInnerCondition(string lifecycleStage, bool expected)
    {
        var holds = Some.Holds("""{"not": {"field": "lifecycleStage", "eq": "student"}}""", Some.Contact(("lifecycleStage", lifecycleStage)));

        holds.ShouldBe(expected);
    }

    [Fact]
    public void Not_OfAConditionOnAMissingField_Holds()
    {
        var holds = Some.Holds("""{"not": {"field": "lifecycleStage", "eq": "student"}}""", Some.Contact());

        holds.ShouldBeTrue();
    }
}
