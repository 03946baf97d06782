namespace LeadScore.Storage.Records;

/// <summary>
/// Every way a store operation can fail as expected (the input is wrong, or names something that is
/// not there), returned as a value in a <see cref="StoreError"/>. Each has a stable code that API
/// clients match on (<see cref="StoreError.Code"/>), and the HTTP layer maps each to one status.
/// </summary>
public enum StoreFailure
{
    /// <summary>No such model (or version), or one that does not fit the request.</summary>
    UnknownModel,

    UnknownContact,

    /// <summary>No visitor claim waiting for confirmation.</summary>
    UnknownClaim,

    UnknownCategory,

    UnknownAutomation,

    /// <summary>Sorting by probability before the predictive model has scored the leads.</summary>
    NotPredicted,

    /// <summary>Publishing a model that was archived.</summary>
    ModelArchived,

    InvalidAdjustment,

    InvalidVisitor,

    InvalidSegment,

    InvalidEmail,

    /// <summary>A page size out of range.</summary>
    InvalidLimit,

    /// <summary>A cursor this list did not make.</summary>
    InvalidCursor,
}
