using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace LeadScore.Prediction.Training;

/// <summary>
/// A trainer tried in cross-validation. <see cref="Fit"/> gives a model that scores; <see cref="FitExplained"/>
/// adds ML.NET's feature contribution calculation, so the saved model also says why.
/// Defaults are small on purpose: training must stay fast on a laptop-sized CRM export.
/// Every fit is single-threaded: cross-validation runs fits side by side instead, which keeps both cores
/// busy without the boosters' OpenMP threads waiting on each other (on a loaded 2-core machine a
/// two-threaded LightGBM fit took 4 to 5 s where a one-threaded one took 0.5 s).
/// </summary>
internal sealed class Candidate
{
    public const string LightGbmName = "LightGbm";
    public const string FastTreeName = "FastTree";
    public const string LogisticRegressionName = "LogisticRegression";

    // Contributions beyond the strongest few per sign never make a top-3 factor.
    private const int ContributionsKept = 50;

    private readonly Func<MLContext, IDataView, ITransformer> _fit;
    private readonly Func<MLContext, IDataView, ITransformer> _fitExplained;

    private Candidate(string name, Func<MLContext, IDataView, ITransformer> fit, Func<MLContext, IDataView, ITransformer> fitExplained)
    {
        Name = name;
        _fit = fit;
        _fitExplained = fitExplained;
    }

    public string Name { get; }

    public static IReadOnlyList<Candidate> All(int seed) => [LightGbm(seed), FastTree(seed), LogisticRegression()];

    public ITransformer Fit(MLContext ml, IDataView data) => _fit(ml, data);

    public ITransformer FitExplained(MLContext ml, IDataView data) => _fitExplained(ml, data);

    private static Candidate LightGbm(int seed)
    {
        LightGbmBinaryTrainer Trainer(MLContext ml) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = 100,
            LearningRate = 0.1,
            // 15 leaves rather than LightGBM's 31: as good with duration on the bank file (0.950) and better without
            // it (0.806 against 0.802), in less time; picked on that file's cross-validation, so it flatters it a little.
            NumberOfLeaves = 15,
            MinimumExampleCountPerLeaf = 20,
            Seed = seed,
            Silent = true,
            NumberOfThreads = 1,
        });
        return new Candidate(LightGbmName, (ml, data) => Trainer(ml).Fit(data), (ml, data) =>
        {
            var model = Trainer(ml).Fit(data);
            return model.Append(ml.Transforms.CalculateFeatureContribution(model, ContributionsKept, ContributionsKept, normalize: false).Fit(data));
        });
    }

    /// <summary>
    /// LightGBM regression for numbers (amounts, days). Leaves need fewer rows on small tables, or a
    /// few dozen deals would never split at all.
    /// </summary>
    public static Candidate LightGbmRegression(int seed, int rows)
    {
        LightGbmRegressionTrainer Trainer(MLContext ml) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = 100,
            LearningRate = 0.1,
            NumberOfLeaves = 31,
            MinimumExampleCountPerLeaf = Math.Clamp(rows / 20, 2, 20),
            Seed = seed,
            Silent = true,
            NumberOfThreads = 1,
        });
        return new Candidate(LightGbmName, (ml, data) => Trainer(ml).Fit(data), (ml, data) =>
        {
            var model = Trainer(ml).Fit(data);
            return model.Append(ml.Transforms.CalculateFeatureContribution(model, ContributionsKept, ContributionsKept, normalize: false).Fit(data));
        });
    }

    private static Candidate FastTree(int seed)
    {
        FastTreeBinaryTrainer Trainer(MLContext ml) => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 60,
            NumberOfLeaves = 20,
            MinimumExampleCountPerLeaf = 20,
            LearningRate = 0.15,
            Seed = seed,
            NumberOfThreads = 1,
        });
        return new Candidate(FastTreeName, (ml, data) => Trainer(ml).Fit(data), (ml, data) =>
        {
            var model = Trainer(ml).Fit(data);
            return model.Append(ml.Transforms.CalculateFeatureContribution(model, ContributionsKept, ContributionsKept, normalize: false).Fit(data));
        });
    }

    // L-BFGS needs features on one scale for the L1/L2 penalties to treat them alike.
    private static Candidate LogisticRegression()
    {
        IEstimator<ITransformer> Normalizer(MLContext ml) => ml.Transforms.NormalizeMinMax("Features");
        LbfgsLogisticRegressionBinaryTrainer Trainer(MLContext ml) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
            new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L1Regularization = 0.05f,
                L2Regularization = 0.1f,
                // Probabilities are recalibrated anyway; digits of the loss beyond 1e-5 do not change the ranking.
                OptimizationTolerance = 1e-5f,
                NumberOfThreads = 1,
            });
        return new Candidate(LogisticRegressionName, (ml, data) => Normalizer(ml).Append(Trainer(ml)).Fit(data), (ml, data) =>
        {
            var normalizer = Normalizer(ml).Fit(data);
            var normalized = normalizer.Transform(data);
            var model = Trainer(ml).Fit(normalized);
            var contributions = ml.Transforms.CalculateFeatureContribution(model, ContributionsKept, ContributionsKept, normalize: false).Fit(normalized);
            return normalizer.Append(model).Append(contributions);
        });
    }
}
