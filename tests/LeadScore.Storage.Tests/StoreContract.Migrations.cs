using LeadScore.Engine.Model;
using LeadScore.Storage.Records;
using LeadScore.Storage.Schema;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Open_NewDatabase_StoresIntoTheDefaultWorkspaceAtOnce()
    {
        var result = await IngestAsync(Some.Event("c1", "email_open"));

        result.Accepted.ShouldBe(1);
        (await CountEventsAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Open_SameDatabaseAgain_KeepsEverything()
    {
        await PublishAsync(Some.OpensModel());
        await IngestAsync(Some.Event("c1", "email_open"));

        await ReopenAsync();
        await ReopenAsync();

        (await CountEventsAsync()).ShouldBe(1);
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull();
        (await Store.Models.GetModelVersionsAsync(Default, "m", Ct)).ShouldHaveSingleItem().Status.ShouldBe(ModelStatus.Published);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(2);
    }

    [Fact]
    public async Task Open_SecondStoreOnTheSameDatabase_SeesTheSameData()
    {
        await PublishAsync(Some.OpensModel());

        await using var second = await OpenAnotherAsync();
        await second.Events.IngestEventsAsync(Default, [Some.Event("c1", "email_open")], null, Ct);

        (await CountEventsAsync()).ShouldBe(1);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(2);
    }

    [Fact]
    public async Task Open_DatabaseOfTheFirstSchemaOnly_UpgradesAndKeepsItsData()
    {
        var connection = await CreateDatabaseAsync();
        await using (var dialect = SqlDialect.For(connection))
        {
            (await Migrator.MigrateAsync(dialect, Some.Now, Ct, lastVersion: 1)).ShouldBe(1);
            await using var session = await dialect.BeginWriteAsync(Some.Now, Ct);
            foreach (var sql in new[]
            {
                "INSERT INTO workspaces (workspace_id, name, created_at_us) VALUES ('default', 'Default workspace', 0)",
                "INSERT INTO contacts (workspace_id, id, email, company_id, fields, created_at_us, updated_at_us) VALUES ('default', 'c1', NULL, NULL, '{}', 0, 0)",
                "INSERT INTO jobs (workspace_id, kind, model_key, model_version, state, cursor, done, total, created_at_us, updated_at_us) VALUES ('default', 'rescore', 'm', 1, 'pending', '', 0, 1, 0, 0)",
            })
            {
                await using var command = session.Command(sql);
                await command.ExecuteNonQueryAsync(Ct);
            }

            await session.CommitAsync(Ct);
        }

        await using var upgraded = await LeadStore.OpenAsync(connection, Clock, Ct);

        (await upgraded.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull();
        var created = await upgraded.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        (await upgraded.Keys.FindApiKeyAsync(created.Secret, Ct)).ShouldBe(created.Key);
        var (_, job) = (await upgraded.Models.GetUnfinishedJobsAsync(Ct)).ShouldHaveSingleItem();
        // Its model was never published: running it reads the new lease columns and cancels it.
        (await upgraded.Models.RunJobAsync(Default, job.Id, null, Ct)).State.ShouldBe(JobState.Cancelled);
    }
}
