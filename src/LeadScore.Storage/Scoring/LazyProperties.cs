using System.Collections;
using System.Diagnostics.CodeAnalysis;
using LeadScore.Engine.Values;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scoring;

/// <summary>
/// Event properties parsed on first use. Most rules look only at an event's type and time, so a
/// bulk re-score of millions of events never pays to parse the properties no condition reads.
/// Events with the same properties text may share one instance, also across the threads of a bulk
/// re-score: two threads that parse at once each build an equal dictionary, and either one is kept.
/// </summary>
internal sealed class LazyProperties(string json) : IReadOnlyDictionary<string, FieldValue>
{
    private Dictionary<string, FieldValue>? _parsed;

    private Dictionary<string, FieldValue> Parsed => _parsed ??= FieldJson.Read(json);

    public FieldValue this[string key] => Parsed[key];

    public IEnumerable<string> Keys => Parsed.Keys;

    public IEnumerable<FieldValue> Values => Parsed.Values;

    public int Count => Parsed.Count;

    public bool ContainsKey(string key) => Parsed.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out FieldValue value) => Parsed.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, FieldValue>> GetEnumerator() => Parsed.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
