namespace LeadScore.Prediction.Schema;

/// <summary>What training does with a column.</summary>
public enum ColumnRole
{
    Feature,
    Label,
    Id,

    /// <summary>Left out on request (<c>--exclude</c>).</summary>
    Excluded,

    /// <summary>Left out because of its kind (high-cardinality text, empty).</summary>
    Ignored,

    /// <summary>Orders the rows for time-ordered validation (<see cref="Training.TrainingOptions.TimeColumn"/>); never a feature.</summary>
    Time,
}
