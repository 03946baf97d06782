namespace LeadScore.Storage.Sql;

/// <summary>Instants are stored as microseconds since 1970 (UTC) in both engines: exact, sortable, one code path.</summary>
internal static class Micros
{
    public static long From(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset ToInstant(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);

    public static long? From(DateTimeOffset? instant) => instant is { } value ? From(value) : null;
}
