using System.Globalization;

namespace LeadScore.Prediction.Snapshots;

/// <summary>
/// The names of snapshot features, and how to say a feature's value in the words sales reads
/// ("visited the pricing page 3 times in the last 7 days") instead of a column name.
/// </summary>
public static class FeatureNames
{
    public const string FieldPrefix = "field:";
    public const string FieldAgePrefix = "field-age:";
    public const string EventsPrefix = "events:";
    public const string PricingViewsPrefix = "pricing-views:";
    public const string ActiveDaysPrefix = "active-days:";
    public const string ActiveDays30 = ActiveDaysPrefix + "30d";
    public const string DaysSinceActivity = "days-since-activity";
    public const string DaysKnown = "days-known";
    public const string ScorePrefix = "score:";
    public const string PointsPrefix = "points:";

    // What a person did, for the event types LeadScore knows; other types are named as they are.
    private static readonly Dictionary<string, (string Verb, string Noun)> Activities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["page_view"] = ("viewed", "pages"),
        ["site_session"] = ("visited", "the website"),
        ["email_open"] = ("opened", "emails"),
        ["email_click"] = ("clicked", "links in emails"),
        ["email_reply"] = ("replied to", "emails"),
        ["email_forward"] = ("forwarded", "emails"),
        ["email_bounce"] = ("bounced", "emails"),
        ["email_unsubscribe"] = ("unsubscribed from", "emails"),
        ["form_submit"] = ("submitted", "forms"),
        ["content_download"] = ("downloaded", "content"),
        ["webinar_registration"] = ("registered for", "webinars"),
        ["webinar_attended"] = ("attended", "webinars"),
        ["free_trial_started"] = ("started", "a free trial"),
        ["demo_requested"] = ("requested", "a demo"),
        ["demo_attended"] = ("attended", "a demo"),
        ["contact_request"] = ("asked", "to be contacted"),
        ["social_share"] = ("shared", "posts"),
    };

    public static string Events(string type, int days) => $"{EventsPrefix}{type}:{days}d";

    /// <summary>
    /// The features that describe one thing and move together: an event type's counts over each window,
    /// the pricing visits, the activity measures, a field and its age, a rule model's score and points. A
    /// reason changes them as one (a lead cannot have clicked twice in 30 days and never in 90); any other
    /// column is a group of its own.
    /// </summary>
    public static string Group(string feature)
    {
        if (feature.StartsWith(EventsPrefix, StringComparison.Ordinal) && feature.LastIndexOf(':') is var last and > 0 && last >= EventsPrefix.Length)
        {
            return feature[..last];
        }

        return feature switch
        {
            _ when feature.StartsWith(PricingViewsPrefix, StringComparison.Ordinal) => PricingViewsPrefix,
            _ when feature.StartsWith(ActiveDaysPrefix, StringComparison.Ordinal) || feature == DaysSinceActivity => ActiveDaysPrefix,
            _ when feature.StartsWith(FieldAgePrefix, StringComparison.Ordinal) => FieldPrefix + feature[FieldAgePrefix.Length..],
            _ when feature.StartsWith(PointsPrefix, StringComparison.Ordinal) && feature[PointsPrefix.Length..].Split(':') is [var model, _] => ScorePrefix + model,
            _ => feature,
        };
    }

    public static string PricingViews(int days) => $"{PricingViewsPrefix}{days}d";

    public static string Score(string model) => ScorePrefix + model;

    public static string Points(string model, string category) => $"{PointsPrefix}{model}:{category}";

    /// <summary>The feature with its value in plain words; <paramref name="value"/> is the cell as the model read it (null when missing).</summary>
    public static string Describe(string feature, string? value)
    {
        var number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : (double?)null;
        var count = number is { } n ? (long)Math.Round(n) : 0;
        if (feature.StartsWith(EventsPrefix, StringComparison.Ordinal) && Split(feature[EventsPrefix.Length..]) is var (type, window))
        {
            var (verb, noun) = Activities.TryGetValue(type, out var known) ? known : ("had", $"'{type}' events");
            return count == 0 ? $"has not {verb} {noun} in the last {window}" : $"{verb} {noun} {Times(count)} in the last {window}";
        }

        if (feature.StartsWith(PricingViewsPrefix, StringComparison.Ordinal))
        {
            var days = feature[PricingViewsPrefix.Length..].Replace("d", " days", StringComparison.Ordinal);
            return count == 0 ? $"has not visited the pricing page in the last {days}" : $"visited the pricing page {Times(count)} in the last {days}";
        }

        return feature switch
        {
            ActiveDays30 => $"active on {count} of the last 30 days",
            DaysSinceActivity when number is null => "no activity yet",
            DaysSinceActivity => count == 0 ? "active today" : $"last active {count} {(count == 1 ? "day" : "days")} ago",
            DaysKnown => $"known for {count} {(count == 1 ? "day" : "days")}",
            _ when feature.StartsWith(ScorePrefix, StringComparison.Ordinal) => $"has {count} points under {feature[ScorePrefix.Length..]}",
            _ when feature.StartsWith(PointsPrefix, StringComparison.Ordinal) && feature[PointsPrefix.Length..].Split(':') is [var model, var category] =>
                $"{count} {category} points under {model}",
            _ when feature.StartsWith(FieldAgePrefix, StringComparison.Ordinal) =>
                number is null ? $"{feature[FieldAgePrefix.Length..]} is unknown" : $"{feature[FieldAgePrefix.Length..]} was {count} days before",
            _ when feature.StartsWith(FieldPrefix, StringComparison.Ordinal) =>
                value is null ? $"{feature[FieldPrefix.Length..]} is unknown" : $"{feature[FieldPrefix.Length..]} is {value}",
            _ => value is null ? $"{feature} is unknown" : $"{feature} is {value}",
        };
    }

    private static (string Type, string Window)? Split(string rest)
    {
        var colon = rest.LastIndexOf(':');
        return colon <= 0 ? null : (rest[..colon], rest[(colon + 1)..].Replace("d", " days", StringComparison.Ordinal));
    }

    private static string Times(long count) => count == 1 ? "once" : $"{count} times";
}
