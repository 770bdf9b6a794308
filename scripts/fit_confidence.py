"""Refit the Platt scaling of suggestion confidences (occupations.PLATT) on the tuning half.

Run after a change to suggestion scores: `python scripts/fit_confidence.py`. It reads only
the `tune` rows of data/eval/posting-titles.csv and prints the triple to paste into PLATT,
with the calibration it gives on the same half (mean confidence vs. hit rate by decile).
"""

import numpy as np
from sklearn.linear_model import LogisticRegression

from jobfair.matching.evaluation import load_posting_titles
from jobfair.matching.occupations import FALLBACK_SCORE, suggest_occupations_for_many


def main() -> None:
    rows = [r for r in load_posting_titles() if r["split"] == "tune"]
    suggestions = suggest_occupations_for_many([r["title"] for r in rows], 10)
    features, hits = [], []
    for row, sugg in zip(rows, suggestions, strict=True):
        if not sugg or sugg[0].score <= FALLBACK_SCORE + 1e-9:
            continue
        lead = sugg[0].score - (sugg[1].score if len(sugg) > 1 else 0.0)
        features.append([sugg[0].score, lead])
        hits.append(int(sugg[0].code == row["code"].strip()))
    x, y = np.array(features), np.array(hits)
    model = LogisticRegression(C=1e6, max_iter=1000).fit(x, y)
    a, b = model.coef_[0]
    c = model.intercept_[0]
    print(f"PLATT = ({a:.3f}, {b:.3f}, {c:.3f})  # score, lead, intercept  (n={len(y)})")
    p = model.predict_proba(x)[:, 1]
    order = np.argsort(p)
    for chunk in np.array_split(order, 10):
        print(f"  mean confidence {p[chunk].mean():.2f}  hit rate {y[chunk].mean():.2f}")


if __name__ == "__main__":
    main()
