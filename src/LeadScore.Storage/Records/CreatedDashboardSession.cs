namespace LeadScore.Storage.Records;

/// <summary>A session just made: the only moment its id (<see cref="Secret"/>, what the cookie carries) exists outside the browser.</summary>
public sealed record CreatedDashboardSession(DashboardSession Session, string Secret);
