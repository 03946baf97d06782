using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Training;

namespace LeadScore.Prediction.Tests.Training;

/// <summary>One training on 2,000 generated leads, shared by the tests that look at its result.</summary>
public sealed class TrainedOnGeneratedLeads
{
    public TrainedOnGeneratedLeads()
    {
        var (csv, truth, converted) = Some.Leads(2000, seed: 11);
        TrueProbabilities = truth;
        Converted = converted;
        var outcome = LeadModelTrainer.Train(CsvTable.Parse(csv).Table!, new TrainingOptions("converted") { IdColumn = "lead id" });
        Trained = outcome.ShouldBeOfType<TrainingOutcome.Trained>();
    }

    public double[] TrueProbabilities { get; }

    public bool[] Converted { get; }

    public TrainingOutcome.Trained Trained { get; }

    public LeadModel Model => Trained.Model;
}
