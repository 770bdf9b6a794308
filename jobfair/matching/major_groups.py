"""A learned prior over the eight major groups (大类) of the classification, for suggestion.

Dictionary hits and TF-IDF cosine decide the exact occupation well, but a title's wording
often says more about its major group (生产制造 vs 专业技术 vs 服务) than any single hit: "设备
装配" reads as production work even when the nearest name is an engineering one. A linear
classifier (logistic loss, trained by SGD on character 1-3-grams) learns that from the
classification's own texts only — every name, alias and curated job-board alias, and the
start of each definition — so no evaluation title is ever seen in training. Suggestion then
multiplies each candidate's score by the probability of its major group to a power
(MAJOR_PRIOR_POWER), chosen on the tuning half of data/eval/posting-titles.csv.

Deterministic (fixed random state), trained once per process with the catalogue (under 1 s).
"""

from collections.abc import Iterable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

MAJOR_PRIOR_POWER = 0.5
DEFINITION_CHARS = 60  # the opening of a definition names the work; the rest lists tasks


def major_of(code: str) -> str:
    """The major group (first digit) of a classification code such as 6-18-02-04."""
    return (code or "")[:1]


class MajorGroupModel:
    """P(major group | text) from the classification's own vocabulary."""

    def __init__(self, samples: Iterable[tuple[str, str]]) -> None:
        texts, labels = [], []
        for text, code in samples:
            if text and code:
                texts.append(text)
                labels.append(major_of(code))
        self.vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        matrix = self.vec.fit_transform(texts)
        self.clf = SGDClassifier(
            loss="log_loss", alpha=1e-5, max_iter=30, tol=None, random_state=0
        ).fit(matrix, labels)
        self.column = {label: j for j, label in enumerate(self.clf.classes_)}
        # predict_proba re-validates and copies the 60,000 x 8 weights on every call (about
        # 5 ms a title); the same one-vs-rest logistic probabilities from a kept contiguous
        # copy take a few microseconds.
        self._weights = np.ascontiguousarray(self.clf.coef_.T)
        self._intercept = self.clf.intercept_.copy()

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text, one column per major group (see `column`)."""
        scores = self.vec.transform(texts) @ self._weights + self._intercept
        probs = 1.0 / (1.0 + np.exp(-np.asarray(scores)))
        return probs / np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)

    def factors(self, probs: np.ndarray, codes: list[str]) -> np.ndarray:
        """Score multipliers for the given candidate codes from one text's probabilities."""
        cols = [self.column.get(major_of(c)) for c in codes]
        p = np.array([probs[j] if j is not None else 0.0 for j in cols], dtype=np.float64)
        return np.power(np.clip(p, 1e-6, 1.0), MAJOR_PRIOR_POWER)
