using System.Collections.Immutable;
using System.Text;

namespace LeadScore.Storage.Sources;

/// <summary>Where an event name's type came from.</summary>
public enum EventMappingSource
{
    /// <summary>The name in snake_case ("Pricing Viewed" is pricing_viewed).</summary>
    Default,

    /// <summary>A Segment Spec name that means one of LeadScore's own types ("Trial Started" is free_trial_started).</summary>
    BuiltIn,

    /// <summary>The workspace's mapping renamed it.</summary>
    Workspace,

    /// <summary>The workspace's mapping ignores it: such events are acknowledged and not stored.</summary>
    Ignored,
}

/// <summary>What one event name becomes: its type (null when ignored) and why.</summary>
public sealed record MappedEventName(string Name, string? Type, EventMappingSource Source);

/// <summary>
/// How a source's event names ("Demo Requested") become LeadScore event types: the workspace's own
/// renames and ignores first (a version of its mapping), then the Segment Spec's names that mean a
/// built-in type, then the name in snake_case. Names are matched ignoring case and spacing, as
/// people type them differently in different tools.
/// </summary>
public sealed class EventMapping
{
    /// <summary>The Segment Spec's (B2B SaaS, Email, Video and common marketing) names for LeadScore's built-in types.</summary>
    public static ImmutableSortedDictionary<string, string> BuiltIn { get; } = new Dictionary<string, string>
    {
        ["Trial Started"] = "free_trial_started",
        ["Demo Requested"] = "demo_requested",
        ["Demo Scheduled"] = "demo_requested",
        ["Demo Attended"] = "demo_attended",
        ["Email Opened"] = "email_open",
        ["Email Link Clicked"] = "email_click",
        ["Email Replied"] = "email_reply",
        ["Email Forwarded"] = "email_forward",
        ["Email Bounced"] = "email_bounce",
        ["Unsubscribed"] = "unsubscribe",
        ["Form Submitted"] = "form_submit",
        ["Content Downloaded"] = "content_download",
        ["File Downloaded"] = "content_download",
        ["Webinar Registered"] = "webinar_registration",
        ["Webinar Attended"] = "webinar_attended",
        ["Contact Requested"] = "contact_request",
        ["Product Shared"] = "social_share",
        ["Application Opened"] = "site_session",
    }.ToImmutableSortedDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The event types page and screen calls become.</summary>
    public const string PageType = "page_view";

    public const string ScreenType = "screen_view";

    public const int MaxTypeLength = 100;

    private static readonly Dictionary<string, string> BuiltInByKey = BuiltIn.ToDictionary(b => Key(b.Key), b => b.Value, StringComparer.Ordinal);

    private readonly Dictionary<string, string?> _workspace;

    public EventMapping(int version, IReadOnlyDictionary<string, string?> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        Version = version;
        Names = names.ToImmutableSortedDictionary(StringComparer.Ordinal);
        _workspace = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, type) in names)
        {
            _workspace[Key(name)] = type;
        }
    }

    /// <summary>The mapping of a workspace that never saved one: built-in names and snake_case.</summary>
    public static EventMapping None { get; } = new(0, new Dictionary<string, string?>());

    /// <summary>The workspace's version (0: never saved).</summary>
    public int Version { get; }

    /// <summary>The workspace's own entries: a name and the type it becomes, or null to ignore it.</summary>
    public ImmutableSortedDictionary<string, string?> Names { get; }

    public MappedEventName Map(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = Key(name);
        if (_workspace.TryGetValue(key, out var renamed))
        {
            return new MappedEventName(name, renamed, renamed is null ? EventMappingSource.Ignored : EventMappingSource.Workspace);
        }

        return BuiltInByKey.TryGetValue(key, out var builtIn)
            ? new MappedEventName(name, builtIn, EventMappingSource.BuiltIn)
            : new MappedEventName(name, SnakeCase(name), EventMappingSource.Default);
    }

    /// <summary>
    /// Why a mapping cannot be saved (a name or type empty, too long, or a type that is not a plain
    /// snake_case name), or null. Each problem names its entry.
    /// </summary>
    public static IReadOnlyList<string> Check(IReadOnlyDictionary<string, string?> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var problems = new List<string>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, type) in names)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            {
                problems.Add($"events['{name}']: an event name is 1 to 200 characters");
                continue;
            }

            if (!keys.TryAdd(Key(name), name))
            {
                problems.Add($"events['{name}']: the same name as '{keys[Key(name)]}' (names are matched ignoring case and spacing); keep one");
            }

            if (type is not null && (type.Length is 0 or > MaxTypeLength || type != SnakeCase(type)))
            {
                problems.Add($"events['{name}']: '{type}' is not an event type; use lowercase letters, digits and '_' (such as {SnakeCase(type.Length == 0 ? name : type)}), or null to ignore the name");
            }
        }

        return problems;
    }

    /// <summary>
    /// The name as a type: words (split at spaces, punctuation and camelCase humps) in lowercase,
    /// joined by '_'. "Demo Requested" and "demoRequested" are both demo_requested.
    /// </summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length + 8);
        var pendingSeparator = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                pendingSeparator = text.Length > 0;
                continue;
            }

            var hump = char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
            if ((pendingSeparator || hump) && text.Length > 0)
            {
                text.Append('_');
            }

            pendingSeparator = false;
            text.Append(char.ToLowerInvariant(c));
        }

        var type = text.ToString();
        return type.Length > MaxTypeLength ? type[..MaxTypeLength].TrimEnd('_') : type;
    }

    // Case and spacing do not make two names different events.
    private static string Key(string name) => SnakeCase(name);
}
