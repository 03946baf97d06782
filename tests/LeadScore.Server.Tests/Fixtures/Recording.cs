namespace LeadScore.Server.Tests.Fixtures;

/// <summary>
/// What a test's HTTP receiver got, in order, thread-safe, and a wait for what the test expects of it
/// that wakes on each new item (no polling) and, on timeout, says what did arrive.
/// </summary>
public sealed class Recording<T>(Func<T, string> describe)
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = NewSignal();

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
            _changed.TrySetResult();
            _changed = NewSignal();
        }
    }

    /// <summary>The items once <paramref name="done"/> holds for them; a <see cref="TimeoutException"/> listing them after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<T>> WaitUntilAsync(Func<IReadOnlyList<T>, bool> done, string waitingFor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            List<T> snapshot;
            lock (_gate)
            {
                snapshot = [.. _items];
                changed = _changed.Task;
            }

            if (done(snapshot))
            {
                return snapshot;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Waited {timeout} for {waitingFor}; got {snapshot.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, snapshot.Select(describe))}");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
