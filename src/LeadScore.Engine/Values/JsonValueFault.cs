namespace LeadScore.Engine.Values;

/// <summary>What kind of value a <see cref="JsonValueProblem"/> is about.</summary>
public enum JsonValueFault
{
    /// <summary>A string or name that is not valid UTF-8 or Unicode, or holds a NUL.</summary>
    Text,

    /// <summary>A number beyond a double's range.</summary>
    Number,
}
