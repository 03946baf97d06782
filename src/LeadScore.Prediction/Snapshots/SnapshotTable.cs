using System.Globalization;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Subjects;
using LeadScore.Prediction.Csv;

namespace LeadScore.Prediction.Snapshots;

/// <summary>
/// Turns contacts' histories into as-of training rows: for each snapshot instant, every contact known
/// by then and not yet converted gets the features it had at that instant (fields, activity counts by
/// type over look-back windows, recency, active days, and its rule scores replayed at that instant)
/// and the label "converted within the horizon after it". Nothing dated after the snapshot is read:
/// events after it are not counted, date fields after it are blank, and rule scores are computed from
/// the earlier events only. Contacts still open now also get a row as of now, to predict.
/// </summary>
public sealed class SnapshotTable
{
    public const string IdColumn = "contact";
    public const string TimeColumn = "snapshotAt";
    public const string LabelColumn = "converted";
    public const string AmountColumn = "wonAmount";
    public const string DaysColumn = "daysToConvert";

    private const string PricingMarker = "pricing";

    // Activity counts are zero, not unknown, when a contact never did the thing.
    private static readonly string[] CountPrefixes = [FeatureNames.EventsPrefix, FeatureNames.PricingViewsPrefix, FeatureNames.ActiveDaysPrefix];

    private readonly SnapshotOptions _options;
    private readonly IReadOnlyList<CompiledModel> _ruleModels;
    private readonly DateTimeOffset _now;
    private readonly List<string> _featureColumns = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<Row> _training = [];
    private readonly List<Row> _current = [];

    /// <param name="knownColumns">
    /// The feature columns a trained model reads, when the table is for predicting with it: an activity
    /// count none of these contacts has is then 0, not missing.
    /// </param>
    public SnapshotTable(SnapshotOptions options, IReadOnlyList<CompiledModel> ruleModels, DateTimeOffset now, IEnumerable<string>? knownColumns = null)
    {
        _options = options;
        _ruleModels = ruleModels;
        _now = now;
        foreach (var column in knownColumns ?? [])
        {
            if (_known.Add(column))
            {
                _featureColumns.Add(column);
            }
        }

        var last = now.AddDays(-options.HorizonDays);
        Cutoffs = [.. Enumerable.Range(0, options.MaxSnapshots).Select(k => last.AddDays(-k * options.EveryDays)).Reverse()];
    }

    /// <summary>The snapshot instants, oldest first; the newest is the last whose whole horizon has passed.</summary>
    public IReadOnlyList<DateTimeOffset> Cutoffs { get; }

    public int TrainingRows => _training.Count;

    public int Positives => _training.Count(r => r.Converted);

    public int OpenLeads => _current.Count;

    /// <summary>The earliest first-seen instant of any contact added: says how far back snapshots can go.</summary>
    public DateTimeOffset? EarliestSeen { get; private set; }

    private sealed record Row(string Contact, DateTimeOffset At, bool Converted, double? WonAmount, double? DaysToConvert, Dictionary<string, string> Features);

    /// <summary>Adds the contact's training rows and, when it is still open, its row to predict.</summary>
    public void Add(LeadHistory lead)
    {
        AddTraining(lead);
        AddCurrent(lead);
    }

    /// <summary>Adds a row as of each snapshot at which the contact was known and not yet converted.</summary>
    public void AddTraining(LeadHistory lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var firstSeen = FirstSeen(lead);
        EarliestSeen = EarliestSeen is { } earliest && earliest < firstSeen ? earliest : firstSeen;
        foreach (var at in Cutoffs)
        {
            if (firstSeen > at || lead.ConvertedAt <= at)
            {
                continue;
            }

            var converted = lead.ConvertedAt is { } when && when <= at.AddDays(_options.HorizonDays);
            _training.Add(new Row(lead.Id, at, converted, converted ? lead.WonAmount : null,
                converted ? (lead.ConvertedAt!.Value - at).TotalDays : null, Features(lead, at, firstSeen)));
        }
    }

    /// <summary>Adds the contact's row as of now, to predict, unless it has converted.</summary>
    public void AddCurrent(LeadHistory lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (lead.ConvertedAt is null)
        {
            _current.Add(new Row(lead.Id, _now, false, null, null, Features(lead, _now, FirstSeen(lead))));
        }
    }

    /// <summary>The training rows: id, snapshot instant, label, then every feature.</summary>
    public CsvTable Training() => Table(_training, [LabelColumn], r => [r.Converted ? "1" : "0"]);

    /// <summary>Rows of contacts that converted with a known amount: features and what they bought for.</summary>
    public CsvTable Amounts() => Table(_training.Where(r => r.WonAmount is not null).ToList(), [AmountColumn], r => [Number(r.WonAmount!.Value)]);

    /// <summary>Rows of contacts that converted: features and how many days after the snapshot they did.</summary>
    public CsvTable DaysToConvert() => Table(_training.Where(r => r.DaysToConvert is not null).ToList(), [DaysColumn], r => [Number(r.DaysToConvert!.Value)]);

    /// <summary>Every contact still open, as of now: the rows to predict.</summary>
    public CsvTable Current() => Table(_current, [], _ => []);

    /// <summary>The rows to predict added so far, which the table then forgets: predicting a large workspace a chunk at a time.</summary>
    public CsvTable TakeCurrent()
    {
        var table = Current();
        _current.Clear();
        return table;
    }

    private CsvTable Table(List<Row> rows, string[] targets, Func<Row, string?[]> targetCells)
    {
        string[] columns = [IdColumn, TimeColumn, .. targets, .. _featureColumns];
        var counts = _featureColumns.Select(c => CountPrefixes.Any(p => c.StartsWith(p, StringComparison.Ordinal))).ToArray();
        var cells = rows.Select(row =>
        {
            var line = new string?[columns.Length];
            line[0] = row.Contact;
            line[1] = row.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            targetCells(row).CopyTo(line, 2);
            for (var f = 0; f < _featureColumns.Count; f++)
            {
                line[2 + targets.Length + f] = row.Features.TryGetValue(_featureColumns[f], out var value) ? value : counts[f] ? "0" : null;
            }

            return line;
        }).ToList();
        return CsvTable.FromCells(columns, cells);
    }

    // Imported contacts are stored when imported; their activity and a createdAt field say when they were really first seen.
    private static DateTimeOffset FirstSeen(LeadHistory lead)
    {
        var first = lead.FirstSeen;
        if (lead.Events.Count > 0 && lead.Events[0].OccurredAt < first)
        {
            first = lead.Events[0].OccurredAt;
        }

        if (lead.Fields.TryGetValue("createdAt", out var created) && created.HasDate && new DateTimeOffset(created.UtcTicks, TimeSpan.Zero) < first)
        {
            first = new DateTimeOffset(created.UtcTicks, TimeSpan.Zero);
        }

        return first;
    }

    private Dictionary<string, string> Features(LeadHistory lead, DateTimeOffset at, DateTimeOffset firstSeen)
    {
        var features = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string column, string value)
        {
            features[column] = value;
            if (_known.Add(column))
            {
                _featureColumns.Add(column);
            }
        }

        foreach (var (name, value) in lead.Fields)
        {
            if (value.IsMissing || _options.Excludes(name))
            {
                continue;
            }

            if (value.HasDate && !value.HasNumber)
            {
                // A date after the snapshot did not exist yet (a "customer since" date would read the outcome back).
                var date = new DateTimeOffset(value.UtcTicks, TimeSpan.Zero);
                if (date <= at)
                {
                    Set(FeatureNames.FieldAgePrefix + name, Number(Math.Floor((at - date).TotalDays)));
                }
            }
            else
            {
                Set(FeatureNames.FieldPrefix + name, value.HasNumber ? Number(value.Number) : value.Text);
            }
        }

        var before = EventsBefore(lead.Events, at);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var activeDays = new HashSet<DateOnly>();
        foreach (var activity in before)
        {
            var age = at - activity.OccurredAt;
            var pricing = string.Equals(activity.Type, "page_view", StringComparison.OrdinalIgnoreCase)
                && activity.Properties.TryGetValue("url", out var url) && url.Text.Contains(PricingMarker, StringComparison.OrdinalIgnoreCase);
            foreach (var days in _options.Windows)
            {
                if (age <= TimeSpan.FromDays(days))
                {
                    var key = FeatureNames.Events(activity.Type.ToLowerInvariant(), days);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    if (pricing)
                    {
                        counts[FeatureNames.PricingViews(days)] = counts.GetValueOrDefault(FeatureNames.PricingViews(days)) + 1;
                    }
                }
            }

            if (age <= TimeSpan.FromDays(30))
            {
                activeDays.Add(DateOnly.FromDateTime(activity.OccurredAt.UtcDateTime));
            }
        }

        foreach (var (column, count) in counts)
        {
            Set(column, Number(count));
        }

        Set(FeatureNames.ActiveDays30, Number(activeDays.Count));
        if (before.Count > 0)
        {
            Set(FeatureNames.DaysSinceActivity, Number(Math.Floor((at - before[^1].OccurredAt).TotalDays)));
        }

        Set(FeatureNames.DaysKnown, Number(Math.Floor((at - firstSeen).TotalDays)));

        if (_ruleModels.Count > 0)
        {
            var subject = ScoringSubject.ForContact(lead.Id, lead.Fields, before);
            foreach (var model in _ruleModels)
            {
                var card = model.Score(subject, at);
                // Points, not the composite score: a lead-type digit (2089) is a category, not 2,000 more points.
                Set(FeatureNames.Score(card.ModelKey), Number(card.Points));
                foreach (var category in card.Categories)
                {
                    Set(FeatureNames.Points(card.ModelKey, category.Key), Number(category.Points));
                }
            }
        }

        return features;
    }

    // Events are kept oldest first, so the ones before an instant are a prefix.
    private static IReadOnlyList<ActivityEvent> EventsBefore(IReadOnlyList<ActivityEvent> events, DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        int low = 0, high = events.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (events[middle].OccurredAtUtcTicks < ticks)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == events.Count ? events : events.Take(low).ToArray();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
