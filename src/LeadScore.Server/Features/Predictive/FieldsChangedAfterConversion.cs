using System.Collections.Immutable;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Predictive;

/// <summary>
/// The half of the store's leakage check that reads dates: the store keeps each field as it is now, so
/// a value written at or after a contact's conversion (a sales team's tag set after the call, a stage
/// an integration moved) would be learnt from as if it had been known before. A field is flagged when
/// it changed at or after the conversion for at least <see cref="Share"/> of the converters that have
/// it, and for at least <see cref="Minimum"/> of them; training then leaves it out. Values set when the
/// contact was created never count: an import of old contacts is not a change made after their outcomes.
/// </summary>
public sealed class FieldsChangedAfterConversion
{
    /// <summary>The share of a field's converters whose value changed at or after converting that flags it.</summary>
    public const double Share = 0.25;

    /// <summary>So few converters say nothing about a field: a flag needs this many changed after converting.</summary>
    public const int Minimum = 5;

    private readonly Dictionary<string, (int Converters, int ChangedAfter)> _counts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Counts a contact in: only a converter says anything.</summary>
    public void Add(ContactActivity contact)
    {
        if (contact.ConvertedAt is not { } converted)
        {
            return;
        }

        foreach (var name in contact.Fields.Keys)
        {
            var (converters, changedAfter) = _counts.GetValueOrDefault(name);
            var after = contact.FieldsChangedAt.TryGetValue(name, out var changed) && changed >= converted;
            _counts[name] = (converters + 1, changedAfter + (after ? 1 : 0));
        }
    }

    /// <summary>The flagged fields, most often changed after converting first.</summary>
    public ImmutableArray<FieldChangedAfterConversion> Flagged() =>
        [.. _counts
            .Where(c => c.Value.ChangedAfter >= Minimum && c.Value.ChangedAfter >= Share * c.Value.Converters)
            .Select(c => new FieldChangedAfterConversion(c.Key, c.Value.Converters, c.Value.ChangedAfter))
            .OrderByDescending(f => (double)f.ChangedAfter / f.Converters).ThenBy(f => f.Field, StringComparer.Ordinal)];
}

/// <summary>A field left out of training: of the <paramref name="Converters"/> that have it, <paramref name="ChangedAfter"/> had it changed at or after converting.</summary>
public sealed record FieldChangedAfterConversion(string Field, int Converters, int ChangedAfter);
