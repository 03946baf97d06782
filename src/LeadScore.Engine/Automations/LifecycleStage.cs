namespace LeadScore.Engine.Automations;

/// <summary>The stages of the funnel, in order; a contact keeps the date it first reached each.</summary>
public enum LifecycleStage
{
    Subscriber,
    Lead,
    Mql,
    Sql,
    Opportunity,
    Customer,
}
