using System.IO.Compression;
using System.Text.Json.Nodes;
using LeadScore.Engine.Scoring;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Tests.Training;

namespace LeadScore.Prediction.Tests.Models;

/// <summary>
/// Reasons compared with the typical lead, on leads whose chance rises with visits and with the plan
/// (basic, pro, enterprise): a value is a reason the way it moves this lead's probability away from the
/// typical lead's, never the way it compares with a branch its trees did not take; each size is the
/// lead's probability against its probabilities with the typical lead's values in that column.
/// </summary>
public sealed class LeadReasonsTests(TrainedOnGeneratedLeads trained) : IClassFixture<TrainedOnGeneratedLeads>
{
    private static readonly CsvTable NewLeads = CsvTable.Parse(Some.Leads(1000, seed: 7).Csv).Table!;

    private readonly IReadOnlyList<(LeadPrediction Prediction, int Visits, string Plan)> _predicted = Predict(trained.Model, NewLeads);

    [Fact]
    public void Predict_MostVisits_RaiseTheProbabilityAndNeverLowerIt()
    {
        var top = _predicted.Where(p => p.Visits >= 16).ToList();

        top.Count.ShouldBeGreaterThan(100);
        top.ShouldAllBe(p => p.Prediction.Raising.Any(f => f.Column == "visits") && p.Prediction.Lowering.All(f => f.Column != "visits"));
    }

    [Fact]
    public void Predict_FewestVisits_LowerTheProbabilityAndNeverRaiseIt()
    {
        var bottom = _predicted.Where(p => p.Visits <= 4).ToList();

        bottom.Count.ShouldBeGreaterThan(100);
        bottom.ShouldAllBe(p => p.Prediction.Lowering.Any(f => f.Column == "visits") && p.Prediction.Raising.All(f => f.Column != "visits"));
    }

    [Fact]
    public void Predict_ThePlanThatConvertsBest_RaisesAndTheWorstLowers()
    {
        var enterprise = _predicted.Where(p => p.Plan == "enterprise").ToList();
        var basic = _predicted.Where(p => p.Plan == "basic").ToList();

        enterprise.ShouldAllBe(p => p.Prediction.Raising.Any(f => f.Column == "plan") && p.Prediction.Lowering.All(f => f.Column != "plan"));
        basic.ShouldAllBe(p => p.Prediction.Lowering.Any(f => f.Column == "plan") && p.Prediction.Raising.All(f => f.Column != "plan"));
    }

    [Fact]
    public void Predict_ReasonsSizes_AreSignedProbabilityPointsThatAddUpTheRightWay()
    {
        var best = _predicted.Where(p => p.Visits >= 16 && p.Plan == "enterprise").ToList();
        var worst = _predicted.Where(p => p.Visits <= 4 && p.Plan == "basic").ToList();

        best.ShouldNotBeEmpty();
        worst.ShouldNotBeEmpty();
        best.ShouldAllBe(p => p.Prediction.Raising.Concat(p.Prediction.Lowering).Sum(f => f.Points) > 0);
        worst.ShouldAllBe(p => p.Prediction.Raising.Concat(p.Prediction.Lowering).Sum(f => f.Points) < 0);
        _predicted.ShouldAllBe(p => p.Prediction.Raising.All(f => f.Points >= 0.05) && p.Prediction.Lowering.All(f => f.Points <= -0.05));
        _predicted.ShouldAllBe(p => p.Prediction.Raising.Concat(p.Prediction.Lowering).All(f => Math.Abs(f.Points) <= 100));
    }

    [Fact]
    public void Predict_EachReasonsSize_IsThisLeadAgainstTheTypicalLeadsValuesInThatColumn()
    {
        var typical = trained.Model.Manifest.TypicalRows!;
        var checkedReasons = 0;
        for (var i = 0; i < 40; i++)
        {
            var prediction = _predicted[i].Prediction;
            foreach (var reason in prediction.Raising.Concat(prediction.Lowering))
            {
                var index = NewLeads.IndexOf(reason.Column);
                var rows = typical.Select(t =>
                {
                    var row = (string?[])NewLeads.Rows[i].Clone();
                    row[index] = t[reason.Column];
                    return row;
                }).ToArray();
                var typicalProbability = trained.Model.Predict(CsvTable.FromCells(NewLeads.Columns, rows)).Average(p => p.Probability);

                reason.Effect.ShouldBe(prediction.Probability - typicalProbability, 1e-9, $"lead {i}, {reason.Column} = {reason.Value}");
                checkedReasons++;
            }
        }

        checkedReasons.ShouldBeGreaterThan(40);
    }

    [Fact]
    public void Train_KeepsTheTypicalContributionsAndTheTierQuantiles()
    {
        var manifest = trained.Model.Manifest;

        manifest.TypicalContributions.Keys.ShouldContain("visits");
        manifest.TypicalContributions.Keys.ShouldContain("plan");
        manifest.TypicalRows!.Count.ShouldBe(TypicalLead.Count);
        manifest.TypicalRows.ShouldAllBe(r => r.ContainsKey("visits") && r.ContainsKey("plan") && !r.ContainsKey("converted"));
        manifest.TypicalRows.Select(r => r["plan"]).Distinct().Count().ShouldBeGreaterThan(1, "spread over the scores, not ten of a kind");
        manifest.Tiers.Quantiles.ShouldBe([0.25, 0.5, 0.75]);
    }

    [Fact]
    public void Predict_TierMeaning_SaysWhichShareOfLeadsAndWhichPercents()
    {
        var veryHigh = _predicted.First(p => p.Prediction.Tier == PriorityTier.VeryHigh).Prediction;

        var tiers = trained.Model.Manifest.Tiers;
        var share = (int)Math.Round(tiers.Shares![(int)PriorityTier.VeryHigh] * 100, MidpointRounding.AwayFromZero);
        share.ShouldBeInRange(15, 25, "ties pushed down: at most the top quarter, and most of it on these spread probabilities");
        veryHigh.TierMeaning.ShouldBe($"top {(share == 25 ? "quarter" : $"{share}%")} of leads ({TierCutPoints.Percent(tiers.VeryHigh)}% or more)");
    }

    [Fact]
    public void Load_AManifestSavedBeforeTypicalContributionsAndQuantiles_StillLoadsAndPredicts()
    {
        using var stream = new MemoryStream();
        trained.Model.Save(stream);
        var old = WithoutTypicalContributions(stream.ToArray());

        var loaded = LeadModel.Load(new MemoryStream(old), "old-model.zip");

        loaded.Error.ShouldBeNull();
        var model = loaded.Model!;
        model.Manifest.TypicalContributions.ShouldBeEmpty();
        model.Manifest.TypicalRows.ShouldBeNull();
        model.Manifest.Tiers.Quantiles.ShouldBeNull();
        model.Manifest.Tiers.Shares.ShouldBeNull();
        var predictions = model.Predict(NewLeads);
        predictions.Select(p => p.Probability).ShouldBe(trained.Model.Predict(NewLeads).Select(p => p.Probability));
        predictions.First(p => p.Tier == PriorityTier.VeryHigh).TierMeaning.ShouldBe($"leads at {TierCutPoints.Percent(model.Manifest.Tiers.VeryHigh)}% or more");
    }

    private static List<(LeadPrediction, int, string)> Predict(LeadModel model, CsvTable table)
    {
        int visits = table.IndexOf("visits"), plan = table.IndexOf("plan");
        return model.Predict(table)
            .Select((p, i) => (p, int.Parse(table.Rows[i][visits]!, System.Globalization.CultureInfo.InvariantCulture), table.Rows[i][plan]!))
            .ToList();
    }

    /// <summary>The same model zip with its manifest as a model saved before the typical contributions and the tier quantiles were kept.</summary>
    private static byte[] WithoutTypicalContributions(byte[] zip)
    {
        using var copy = new MemoryStream();
        copy.Write(zip);
        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry("manifest.json")!;
            JsonObject manifest;
            using (var read = entry.Open())
            {
                manifest = JsonNode.Parse(read)!.AsObject();
            }

            manifest.Remove("typicalContributions").ShouldBeTrue();
            manifest.Remove("typicalRows").ShouldBeTrue();
            manifest["tiers"]!.AsObject().Remove("quantiles").ShouldBeTrue();
            manifest["tiers"]!.AsObject().Remove("shares").ShouldBeTrue();
            entry.Delete();
            using var write = archive.CreateEntry("manifest.json").Open();
            using var writer = new System.Text.Json.Utf8JsonWriter(write);
            manifest.WriteTo(writer);
        }

        return copy.ToArray();
    }
}
