using System.Text.Json;
using LeadScore.Storage.Sources;

namespace LeadScore.Storage.Tests;

/// <summary>How a Segment Spec message is read: its time, its traits as fields, and its name as an event type.</summary>
public sealed class SegmentSpecTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Time_ClientClockTenMinutesFast_IsCorrectedBySentAt()
    {
        // The device's clock is 10 minutes ahead: it stamped the call at 12:05 and sent it at 12:09 by its clock.
        var message = Read("""{"type": "track", "userId": "u", "event": "x", "originalTimestamp": "2026-12-08T12:05:00Z", "sentAt": "2026-12-08T12:09:00Z"}""");
        message.Timestamp.ShouldBe(ReceivedAt.AddMinutes(-4));
    }

    [Fact]
    public void Time_BatchSentAt_CorrectsItemsWithoutTheirOwn()
    {
        var envelope = new SegmentEnvelope(ReceivedAt, null, new DateTimeOffset(2026, 12, 8, 11, 0, 0, TimeSpan.Zero));
        var message = Read("""{"type": "track", "userId": "u", "event": "x", "originalTimestamp": "2026-12-08T10:59:00Z"}""", envelope);
        message.Timestamp.ShouldBe(ReceivedAt.AddMinutes(-1));
    }

    [Fact]
    public void Time_AnExplicitTimestamp_IsKeptAsSent_EvenAYearOld()
    {
        // A backfill through RudderStack: it adds originalTimestamp (now) to a message whose timestamp the sender set.
        var message = Read("""{"type": "track", "userId": "u", "event": "x", "timestamp": "2025-12-01T09:00:00Z", "originalTimestamp": "2026-12-08T11:59:00Z", "sentAt": "2026-12-08T11:59:30Z"}""");
        message.Timestamp.ShouldBe(new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Time_MoreThanADayAhead_IsRefused_NoTimeAtAll_IsWhenItArrived()
    {
        var (_, refused) = SegmentSpec.Read(Json("""{"type": "track", "userId": "u", "event": "x", "timestamp": "2026-12-09T13:00:00Z"}"""), 0, "$", null, new SegmentEnvelope(ReceivedAt));
        refused!.Reason.ShouldContain("24 hours");
        Read("""{"type": "track", "userId": "u", "event": "x"}""").Timestamp.ShouldBe(ReceivedAt);
    }

    [Fact]
    public void Traits_ReservedOnesBecomeOurFields_OthersStayCustom_NestedOnesAreFlattened()
    {
        var message = Read("""
            {"type": "identify", "userId": "u", "traits": {"first_name": "Ada", "title": "CTO", "company": {"name": "Acme", "id": "acme", "employee_count": 250},
             "address": {"country": "DE", "state": "Berlin"}, "preferences": {"newsletter": true}, "tags": ["a", "b"], "id": "ignored"}}
            """);
        message.Traits.Keys.Order(StringComparer.Ordinal).ShouldBe(["company", "country", "employees", "firstName", "jobTitle", "preferences.newsletter", "region", "tags"]);
        message.Traits["employees"].Number.ShouldBe(250);
        message.Traits["tags"].Text.ShouldBe("""["a", "b"]""");
        message.CompanyId.ShouldBe("acme");
    }

    [Fact]
    public void Page_TakesUrlAndTitleFromContextPage_AndTheCampaignAsUtm()
    {
        var message = Read("""
            {"type": "page", "anonymousId": "a1", "name": "Pricing", "properties": {"title": "Own title"},
             "context": {"page": {"url": "https://x.io/pricing", "title": "Context title", "referrer": "https://google.com"}, "campaign": {"name": "winter", "source": "google"}}}
            """);
        message.Properties["name"].Text.ShouldBe("Pricing");
        message.Properties["url"].Text.ShouldBe("https://x.io/pricing");
        message.Properties["title"].Text.ShouldBe("Own title");
        message.Properties["utm_campaign"].Text.ShouldBe("winter");
        message.Properties["utm_source"].Text.ShouldBe("google");
    }

    [Fact]
    public void MessageWithoutId_GetsOneFromItsContent_SoTheSameMessageSentTwiceIsTheSameEvent()
    {
        const string json = """{"type": "track", "userId": "u", "event": "x", "timestamp": "2026-12-01T00:00:00Z"}""";
        Read(json).MessageId.ShouldBe(Read(json).MessageId);
        Read(json).MessageId.ShouldNotBe(Read(json.Replace("\"x\"", "\"y\"", StringComparison.Ordinal)).MessageId);
    }

    [Theory]
    [InlineData("Demo Requested", "demo_requested", EventMappingSource.BuiltIn)]
    [InlineData("demo requested", "demo_requested", EventMappingSource.BuiltIn)]
    [InlineData("Trial Started", "free_trial_started", EventMappingSource.BuiltIn)]
    [InlineData("Pricing Viewed", "pricing_viewed", EventMappingSource.Default)]
    [InlineData("pricingViewed", "pricing_viewed", EventMappingSource.Default)]
    [InlineData("HTMLFormSubmitted", "html_form_submitted", EventMappingSource.Default)]
    [InlineData("  Plan -- Upgraded! ", "plan_upgraded", EventMappingSource.Default)]
    public void EventName_BecomesBuiltInTypeOrSnakeCase(string name, string type, EventMappingSource source)
    {
        EventMapping.None.Map(name).ShouldBe(new MappedEventName(name, type, source));
    }

    [Fact]
    public void EventMapping_WorkspaceEntriesComeFirst_AndNullIgnores()
    {
        var mapping = new EventMapping(3, new Dictionary<string, string?> { ["Demo Requested"] = "sales_demo", ["Heartbeat"] = null });
        mapping.Map("demo requested").ShouldBe(new MappedEventName("demo requested", "sales_demo", EventMappingSource.Workspace));
        mapping.Map("heartbeat").Type.ShouldBeNull();
        EventMapping.Check(new Dictionary<string, string?> { ["A"] = "Not Snake", ["a"] = "x", [""] = "y" }).Count.ShouldBe(3);
    }

    private static SourceMessage Read(string json, SegmentEnvelope? envelope = null)
    {
        var (message, refused) = SegmentSpec.Read(Json(json), 0, "$", null, envelope ?? new SegmentEnvelope(ReceivedAt));
        refused.ShouldBeNull();
        return message!;
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
