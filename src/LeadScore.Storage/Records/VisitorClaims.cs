namespace LeadScore.Storage.Records;

/// <summary>What the website snippet's identify does when its email names a contact that already exists.</summary>
public enum VisitorClaims
{
    /// <summary>
    /// An email alone is a claim, not a proof: the visitor's events stay on its own anonymous contact,
    /// and the claim waits until a signed email click, the API or the CRM confirms it. The default.
    /// </summary>
    Hold,

    /// <summary>
    /// The visitor is merged into the contact at once (for sites where visitors are signed in, so
    /// whoever types an email is who they say).
    /// </summary>
    Merge,
}
