using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private static readonly WorkspaceId Acme = new("acme");
    private static readonly WorkspaceId Globex = new("globex");

    [Fact]
    public async Task Workspaces_SameIds_KeepTheirOwnData()
    {
        await Store.Workspaces.EnsureWorkspaceAsync(Acme, "Acme", Ct);
        await Store.Workspaces.EnsureWorkspaceAsync(Globex, "Globex", Ct);
        var job = await PublishAsync(Some.OpensModel(), Acme);
        await Store.Records.UpsertContactsAsync(Acme, [Some.Contact("c1", ("email", "c1@acme.example"))], Ct);
        await Store.Records.UpsertContactsAsync(Globex, [Some.Contact("c1", ("email", "c1@globex.example"))], Ct);
        await Store.Outcomes.RecordOutcomesAsync(Acme, [new OutcomeInput(RecordKind.Contact, "c1", OutcomeKind.Converted, Some.Now)], Ct);

        var inAcme = await Store.Events.IngestEventsAsync(Acme, [Some.Event("c1", "email_open", id: "shared-id")], null, Ct);
        var inGlobex = await Store.Events.IngestEventsAsync(Globex, [Some.Event("c1", "email_open", id: "shared-id")], null, Ct);

        (inAcme.Accepted, inGlobex.Accepted).ShouldBe((1, 1));
        (await CountEventsAsync(Acme), await CountEventsAsync(Globex), await CountEventsAsync()).ShouldBe((1L, 1L, 0L));
        (await Store.Records.GetRecordAsync(Globex, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull().Fields["email"].Text.ShouldBe("c1@globex.example");
        (await Store.Scores.GetScoreAsync(Acme, "m", RecordKind.Contact, "c1", Ct)).ShouldNotBeNull().Points.ShouldBe(2);
        (await Store.Scores.GetScoreAsync(Globex, "m", RecordKind.Contact, "c1", Ct)).ShouldBeNull();
        (await ListScoresAsync(workspace: Globex)).ShouldBeEmpty();
        (await Store.Models.GetModelVersionsAsync(Globex, null, Ct)).ShouldBeEmpty();
        (await Store.Models.GetJobAsync(Globex, job.Id, Ct)).ShouldBeNull();
        (await Store.Outcomes.GetOutcomesAsync(Globex, Ct)).ShouldBeEmpty();
        (await Store.Scores.GetHistoryAsync(Globex, "m", RecordKind.Contact, "c1", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Workspaces_StrictEventByEmailKnownOnlyInAnotherWorkspace_IsRejected()
    {
        await Store.Workspaces.EnsureWorkspaceAsync(Acme, "Acme", Ct);
        await Store.Workspaces.EnsureWorkspaceAsync(Globex, "Globex", Ct);
        await Store.Records.UpsertContactsAsync(Acme, [Some.Contact("c1", ("email", "ann@example.com"))], Ct);

        var strict = await Store.Events.IngestEventsAsync(Globex, [Some.EventByEmail("ann@example.com", "email_open")], new IngestOptions(Strict: true), Ct);

        strict.Accepted.ShouldBe(0);
        strict.Rejected.ShouldHaveSingleItem();
        (await CountEventsAsync(Acme)).ShouldBe(0);
    }

    [Fact]
    public async Task Sweep_DueScoresInTwoWorkspaces_RescoresBoth()
    {
        await Store.Workspaces.EnsureWorkspaceAsync(Acme, "Acme", Ct);
        await Store.Workspaces.EnsureWorkspaceAsync(Globex, "Globex", Ct);
        foreach (var workspace in new[] { Acme, Globex })
        {
            await PublishAsync(Some.Model(RecentDemoRule), workspace);
            await Store.Events.IngestEventsAsync(workspace, [Some.Event("c1", "demo_requested", Some.Now.AddHours(-1))], null, Ct);
        }

        Clock.Advance(TimeSpan.FromDays(2));

        (await Store.Scores.SweepAsync(cancellationToken: Ct)).ShouldBe(2);
        (await Store.Scores.GetScoreAsync(Acme, "m", RecordKind.Contact, "c1", Ct)).ShouldNotBeNull().Points.ShouldBe(0);
        (await Store.Scores.GetScoreAsync(Globex, "m", RecordKind.Contact, "c1", Ct)).ShouldNotBeNull().Points.ShouldBe(0);
    }
}
