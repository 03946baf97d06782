namespace LeadScore.Server.Http;

/// <summary>
/// A type that documents a JSON language LeadScore reads by hand (a scoring model, an automation): a property may
/// be left out but is never null, and a property the reader does not know is an error. ApiSchemas says both in
/// the type's schema (no null, <c>additionalProperties: false</c>). Such types are never serialised.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class JsonLanguageAttribute : Attribute;
