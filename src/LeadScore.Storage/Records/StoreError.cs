namespace LeadScore.Storage.Records;

/// <summary>An expected failure (unknown model, invalid input), returned as a value with its kind and a message that says how to fix it.</summary>
public sealed record StoreError(StoreFailure Failure, string Message)
{
    /// <summary>The stable code clients match on, such as <c>unknown-model</c>.</summary>
    public string Code => CodeOf(Failure);

    /// <summary>The code of a failure: its name in kebab case, fixed here so that renaming a member can never change what clients see.</summary>
    public static string CodeOf(StoreFailure failure) => failure switch
    {
        StoreFailure.UnknownModel => "unknown-model",
        StoreFailure.UnknownContact => "unknown-contact",
        StoreFailure.UnknownClaim => "unknown-claim",
        StoreFailure.UnknownCategory => "unknown-category",
        StoreFailure.UnknownAutomation => "unknown-automation",
        StoreFailure.NotPredicted => "not-predicted",
        StoreFailure.ModelArchived => "model-archived",
        StoreFailure.InvalidAdjustment => "invalid-adjustment",
        StoreFailure.InvalidVisitor => "invalid-visitor",
        StoreFailure.InvalidSegment => "invalid-segment",
        StoreFailure.InvalidEmail => "invalid-email",
        StoreFailure.InvalidLimit => "invalid-limit",
        StoreFailure.InvalidCursor => "invalid-cursor",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "Not a store failure."),
    };

    public override string ToString() => $"{Message} [{Code}]";
}
