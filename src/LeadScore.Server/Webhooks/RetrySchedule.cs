namespace LeadScore.Server.Webhooks;

/// <summary>
/// When to try a failed webhook delivery again: exponential backoff from <see cref="FirstDelay"/>,
/// capped at <see cref="MaxDelay"/>, with jitter, until <see cref="GiveUpAfter"/> has passed since
/// the delivery was created; then it is dead-lettered.
/// </summary>
/// <remarks>
/// "Equal jitter": the delay is uniformly random between half and all of the exponential delay. The
/// random half spreads deliveries that failed together (a receiver that was down for everyone) so
/// they do not all come back in the same second and knock it over again; the fixed half keeps the
/// backoff growing, which "full jitter" (anywhere from zero) does not promise for any single delivery.
/// </remarks>
internal sealed class RetrySchedule
{
    public static readonly TimeSpan DefaultFirstDelay = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromHours(1);

    public static readonly TimeSpan DefaultGiveUpAfter = TimeSpan.FromHours(24);

    private readonly Random _random;

    // Random is not thread-safe and the dispatcher may deliver in parallel.
    private readonly Lock _randomLock = new();

    /// <summary>The defaults: from 10 s up to 1 h between attempts, for up to 24 h.</summary>
    public RetrySchedule(Random random)
        : this(DefaultFirstDelay, DefaultMaxDelay, DefaultGiveUpAfter, random)
    {
    }

    public RetrySchedule(TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan giveUpAfter, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstDelay, maxDelay);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(giveUpAfter, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(random);
        FirstDelay = firstDelay;
        MaxDelay = maxDelay;
        GiveUpAfter = giveUpAfter;
        _random = random;
    }

    public TimeSpan FirstDelay { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan GiveUpAfter { get; }

    /// <summary>How long to wait after the <paramref name="failedAttempts"/>th failed attempt (1 for the first failure).</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var full = Exponential(failedAttempts).Ticks;
        var half = full / 2;
        long jitter;
        lock (_randomLock)
        {
            jitter = _random.NextInt64(full - half + 1);
        }

        return TimeSpan.FromTicks(half + jitter);
    }

    /// <summary>Whether an attempt at <paramref name="nextAttemptAt"/> would be too late, so the delivery is dead-lettered instead.</summary>
    public bool GivesUp(DateTimeOffset firstAttemptOrCreatedAt, DateTimeOffset nextAttemptAt) =>
        nextAttemptAt - firstAttemptOrCreatedAt > GiveUpAfter;

    /// <summary>FirstDelay x 2^(failedAttempts - 1), capped at MaxDelay, without overflowing for any count.</summary>
    private TimeSpan Exponential(int failedAttempts)
    {
        var doublings = failedAttempts - 1;

        // first << n <= max exactly when first <= max >> n; n >= 63 would wrap, as C# masks a long shift to 6 bits.
        return doublings >= 63 || FirstDelay.Ticks > MaxDelay.Ticks >> doublings
            ? MaxDelay
            : TimeSpan.FromTicks(FirstDelay.Ticks << doublings);
    }
}
