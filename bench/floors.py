"""The benchmark's floor: a bare sparse product plus top-k on the engine's own text matrices.

What any TF-IDF recommender must at least do, on the same matrices as MatchingEngine: no
structured scoring and no reasons. It reads the engine's internals because it must multiply
exactly what recommend_many multiplies; only bench/matching.py uses it.
"""

from collections.abc import Sequence

import numpy as np

from jobfair.matching import MatchingEngine, SeekerDoc
from jobfair.matching.index import SeekerBlock
from jobfair.matching.ranking import CHUNK


def encode_seekers(engine: MatchingEngine, seekers: Sequence[SeekerDoc]):
    """The seekers' query matrix, as recommend_many builds it."""
    return SeekerBlock(engine, seekers).q


def floor_matrices(engine: MatchingEngine, q):
    """The text columns of a query matrix and of the index, as the floor multiplies them."""
    return q[:, : engine._n_text].tocsr(), engine._XT_base[: engine._n_text].tocsr()


def bare_topk_encoded(q_text, xt_text, k: int = 20) -> list[np.ndarray]:
    """The floor on prepared matrices: block sparse product, dense top-k, sorted."""
    out = []
    for start in range(0, q_text.shape[0], CHUNK):
        p = (q_text[start : start + CHUNK] @ xt_text).toarray()
        top = np.argpartition(-p, k - 1, axis=1)[:, :k]
        vals = np.take_along_axis(p, top, axis=1)
        order = np.argsort(-vals, axis=1, kind="stable")
        out.extend(np.take_along_axis(top, order, axis=1))
    return out


def bare_topk(
    engine: MatchingEngine, seekers: Sequence[SeekerDoc], k: int = 20
) -> list[np.ndarray]:
    """The floor from documents: the top-k row numbers per seeker."""
    q_text, xt_text = floor_matrices(engine, encode_seekers(engine, seekers))
    return bare_topk_encoded(q_text, xt_text, k)
