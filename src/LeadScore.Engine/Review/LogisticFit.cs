namespace LeadScore.Engine.Review;

/// <summary>
/// An L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
/// squares): small and exact for the few dozen columns of rule indicators the review weighs, so the
/// engine needs no machine-learning library. The penalty pulls each weight towards a prior (zero
/// unless given), so with little evidence a weight stays near what was believed before; the intercept
/// is not penalised.
/// </summary>
public sealed class LogisticFit
{
    private const int MaxIterations = 50;
    private const double Tolerance = 1e-8;

    private LogisticFit(double intercept, double[] weights)
    {
        Intercept = intercept;
        Weights = weights;
    }

    public double Intercept { get; }

    /// <summary>One weight per column: the change in log-odds of converting when the column goes from 0 to 1.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <param name="rows">One row per lead, every row as long as the others.</param>
    /// <param name="labels">Whether each lead converted.</param>
    /// <param name="penalty">The L2 penalty (scikit-learn's 1/C); 1 keeps weights of rare columns modest.</param>
    /// <param name="prior">The weight each column is pulled towards; zeros when null.</param>
    public static LogisticFit Fit(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, double penalty = 1.0, IReadOnlyList<double>? prior = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Count != labels.Count)
        {
            throw new ArgumentException($"{rows.Count} rows but {labels.Count} labels.", nameof(labels));
        }

        var columns = rows.Count == 0 ? 0 : rows[0].Length;
        var size = columns + 1; // the intercept is the last coefficient
        var centre = new double[size];
        if (prior is not null)
        {
            if (prior.Count != columns)
            {
                throw new ArgumentException($"{columns} columns but {prior.Count} prior weights.", nameof(prior));
            }

            for (var j = 0; j < columns; j++)
            {
                centre[j] = prior[j];
            }
        }

        var beta = (double[])centre.Clone();
        var positives = labels.Count(l => l);
        // Start at the base rate so the first step is small.
        beta[columns] = positives == 0 || positives == labels.Count ? 0 : Math.Log(positives / (double)(labels.Count - positives));

        var hessian = new double[size, size];
        var gradient = new double[size];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Array.Clear(hessian);
            Array.Clear(gradient);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var eta = beta[columns];
                for (var j = 0; j < columns; j++)
                {
                    eta += beta[j] * row[j];
                }

                var p = 1 / (1 + Math.Exp(-eta));
                var residual = (labels[i] ? 1 : 0) - p;
                var weight = Math.Max(p * (1 - p), 1e-12);
                for (var j = 0; j < size; j++)
                {
                    var xj = j == columns ? 1 : row[j];
                    if (xj == 0)
                    {
                        continue;
                    }

                    gradient[j] += residual * xj;
                    for (var k = 0; k <= j; k++)
                    {
                        var xk = k == columns ? 1 : row[k];
                        hessian[j, k] += weight * xj * xk;
                    }
                }
            }

            for (var j = 0; j < columns; j++)
            {
                gradient[j] -= penalty * (beta[j] - centre[j]);
                hessian[j, j] += penalty;
            }

            // A tiny ridge on the intercept keeps the system solvable when every lead has the same label.
            hessian[columns, columns] += 1e-9;
            for (var j = 0; j < size; j++)
            {
                for (var k = j + 1; k < size; k++)
                {
                    hessian[j, k] = hessian[k, j];
                }
            }

            var step = SolveCholesky(hessian, gradient);

            // Newton's step can overshoot where leads are almost separated (a rule only converters have):
            // halve it until the penalised likelihood improves.
            var before = Objective(rows, labels, beta, centre, penalty);
            var scale = 1.0;
            var trial = new double[size];
            for (var halvings = 0; halvings < 30; halvings++, scale /= 2)
            {
                for (var j = 0; j < size; j++)
                {
                    trial[j] = beta[j] + scale * step[j];
                }

                if (Objective(rows, labels, trial, centre, penalty) >= before - 1e-12)
                {
                    break;
                }
            }

            var largest = 0.0;
            for (var j = 0; j < size; j++)
            {
                largest = Math.Max(largest, Math.Abs(trial[j] - beta[j]));
                beta[j] = trial[j];
            }

            if (largest < Tolerance)
            {
                break;
            }
        }

        return new LogisticFit(beta[columns], beta[..columns]);
    }

    // The penalised log-likelihood Newton's method climbs.
    private static double Objective(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, double[] beta, double[] centre, double penalty)
    {
        var columns = beta.Length - 1;
        var total = 0.0;
        for (var i = 0; i < rows.Count; i++)
        {
            var eta = beta[columns];
            for (var j = 0; j < columns; j++)
            {
                eta += beta[j] * rows[i][j];
            }

            // log(sigmoid(eta)) and log(1 - sigmoid(eta)) without overflow.
            total += labels[i] ? -Softplus(-eta) : -Softplus(eta);
        }

        for (var j = 0; j < columns; j++)
        {
            total -= penalty / 2 * (beta[j] - centre[j]) * (beta[j] - centre[j]);
        }

        return total;
    }

    private static double Softplus(double x) => x > 30 ? x : double.LogP1(Math.Exp(x));

    /// <summary>The fitted probability for one row.</summary>
    public double Probability(double[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var eta = Intercept;
        for (var j = 0; j < row.Length; j++)
        {
            eta += Weights[j] * row[j];
        }

        return 1 / (1 + Math.Exp(-eta));
    }

    // The penalised Hessian is symmetric positive definite.
    private static double[] SolveCholesky(double[,] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j, j];
            }
        }

        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }

            y[i] = sum / l[i, i];
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }
}
