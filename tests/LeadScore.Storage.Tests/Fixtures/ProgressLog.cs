namespace LeadScore.Storage.Tests.Fixtures;

/// <summary>Records every progress report at once, on the reporting thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
public sealed class ProgressLog<T>(Action<T>? onReport = null) : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(T value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }

        onReport?.Invoke(value);
    }
}
