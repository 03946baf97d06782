using LeadScore.Storage.Records;

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
        (await Store.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull();
        (await Store.GetModelVersionsAsync(Default, "m", Ct)).ShouldHaveSingleItem().Status.ShouldBe(ModelStatus.Published);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(2);
    }

    [Fact]
    public async Task Open_SecondStoreOnTheSameDatabase_SeesTheSameData()
    {
        await PublishAsync(Some.OpensModel());

        await using var second = await OpenAnotherAsync();
        await second.IngestEventsAsync(Default, [Some.Event("c1", "email_open")], null, Ct);

        (await CountEventsAsync()).ShouldBe(1);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(2);
    }
}
