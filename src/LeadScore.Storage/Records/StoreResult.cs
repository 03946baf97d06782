using System.Diagnostics.CodeAnalysis;

namespace LeadScore.Storage.Records;

/// <summary>Either a value or the <see cref="StoreError"/> that explains why there is none.</summary>
public sealed record StoreResult<T>
{
    private StoreResult(T? value, StoreError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public StoreError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static StoreResult<T> Success(T value) => new(value, null);

    public static StoreResult<T> Failure(StoreFailure failure, string message) => new(default, new StoreError(failure, message));

    public static implicit operator StoreResult<T>(StoreError error) => new(default, error);
}
