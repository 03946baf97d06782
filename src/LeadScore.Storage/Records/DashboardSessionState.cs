namespace LeadScore.Storage.Records;

/// <summary>Whether a dashboard session signs requests in, and if not, why not.</summary>
public enum DashboardSessionState
{
    Active = 1,

    /// <summary>Ended by signing out (on any server).</summary>
    SignedOut = 2,

    /// <summary>The API key it was signed in with was revoked.</summary>
    KeyRevoked = 3,

    /// <summary>Its lifetime ran out.</summary>
    Expired = 4,
}
