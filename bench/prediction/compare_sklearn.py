"""scikit-learn on LeadScore's folds: HistGradientBoosting and a scaled one-hot logistic regression.

Called by compare-sklearn.sh with: CSV FOLDS EXCLUDE RUNS OURS_JSON...
Prints one line per model: out-of-fold ROC-AUC (pooled over the folds, as LeadScore reports it) and the
median seconds of RUNS runs of the whole 5-fold cross-validation (fits and predictions, not reading).
"""
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

csv, folds_file, exclude, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ours = [json.load(open(path)) for path in sys.argv[5:]]

data = pd.read_csv(csv, sep=None, engine="python")
folds = pd.read_csv(folds_file)["fold"].to_numpy()
y = (data.pop("y").str.lower() == "yes").to_numpy()
if exclude:
    data = data.drop(columns=[exclude])
categorical = [c for c in data.columns if data[c].dtype == object]
numeric = [c for c in data.columns if c not in categorical]


def hist_gradient_boosting():
    # Categories as ordinal codes, declared categorical: HistGradientBoosting's native categorical splits.
    encode = ColumnTransformer(
        [("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical)],
        remainder="passthrough")
    mask = [True] * len(categorical) + [False] * len(numeric)
    return make_pipeline(encode, HistGradientBoostingClassifier(categorical_features=mask, random_state=42))


def logistic_regression():
    encode = ColumnTransformer(
        [("cat", OneHotEncoder(handle_unknown="ignore"), categorical), ("num", StandardScaler(), numeric)])
    return make_pipeline(encode, LogisticRegression(max_iter=1000))


def cross_validate(make):
    scores = np.zeros(len(y))
    start = time.perf_counter()
    for k in sorted(set(folds)):
        train, test = folds != k, folds == k
        model = make().fit(data[train], y[train])
        scores[test] = model.predict_proba(data[test])[:, 1]
    return roc_auc_score(y, scores), time.perf_counter() - start


label = f"without {exclude}" if exclude else "with all columns"
print(f"{label}: {len(y)} rows, {y.sum()} positive, folds from leadscore ({len(set(folds))})")
print(f"  leadscore ({ours[0]['trainer']}): AUC {ours[0]['auc']:.4f}, seconds (median of {len(ours)}) "
      f"{statistics.median(o['seconds'] for o in ours):.2f}  [{', '.join(str(o['seconds']) for o in ours)}]")
for name, make in [("sklearn HistGradientBoosting", hist_gradient_boosting), ("sklearn LogisticRegression", logistic_regression)]:
    results = [cross_validate(make) for _ in range(runs)]
    seconds = [s for _, s in results]
    print(f"  {name}: AUC {results[0][0]:.4f}, seconds (median of {runs}) {statistics.median(seconds):.2f}  "
          f"[{', '.join(f'{s:.2f}' for s in seconds)}]")
