using LeadScore.Engine.Values;

namespace LeadScore.Engine.Model;

/// <summary>How a behaviour's points fade with the age of its events.</summary>
public abstract record Decay;

/// <summary>An event stops counting once it is older than <see cref="After"/>.</summary>
public sealed record ExpiresAfterDecay(Duration After) : Decay;

/// <summary>An event's points are multiplied by 0.5^(age / <see cref="HalfLife"/>).</summary>
public sealed record HalfLifeDecay(Duration HalfLife) : Decay;
