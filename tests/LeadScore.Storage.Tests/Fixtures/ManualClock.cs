namespace LeadScore.Storage.Tests.Fixtures;

/// <summary>A clock that stands still until a test moves it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _utcNow = start;

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_lock)
            {
                return _utcNow;
            }
        }

        set
        {
            lock (_lock)
            {
                _utcNow = value;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _utcNow += by;
        }
    }
}
