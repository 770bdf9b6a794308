"""Batch candidates read off sparse product rows pick what dense argpartition picks.

recommend_many takes each seeker's pool of candidates from the non-zeros of its sparse product
row (a strict gap at the pool boundary). When the pool-th score ties with the next, the row
keeps the positions above the tie, and is partitioned densely only when a tied position
could enter its top k. The corpus here has a small vocabulary and a small pool, so ties at
the boundary (settled both ways), rows with fewer non-zeros than the pool and closed
(removed) positions all occur.
"""

from dataclasses import replace

import numpy as np
import pytest
from test_matching_batch import corpus

from jobfair.matching import MatchingEngine, ScoringWeights, SeekerDoc
from jobfair.matching.index import SeekerBlock

POOL = 12


@pytest.fixture(scope="module")
def engine_and_seekers():
    positions, seekers = corpus(seed=11, n_positions=600, n_seekers=160)
    # A rare skill in three positions, and a seeker who names only it: fewer non-zeros than
    # the pool in that seeker's row.
    positions += [replace(p, id=1000 + p.id, tokens="潜水作业 " + p.tokens) for p in positions[:3]]
    seekers.append(SeekerDoc(id=1000, tokens="潜水作业"))
    engine = MatchingEngine.build(positions, weights=ScoringWeights(candidates=POOL))
    for doc in positions[::7]:
        engine.remove(doc.id)  # closed positions stay in the matrix as dead rows
    assert engine._X_delta is None and not engine._alive.all()
    return engine, seekers


def _recommendable(cand, prior):
    """Per row: {position row: score} of the candidates that can be recommended (score > 0)."""
    return [
        {int(c): float(p) for c, p in zip(row_c, row_p, strict=True) if p > 1e-7}
        for row_c, row_p in zip(cand, prior, strict=True)
    ]


def test_sparse_candidates_equal_dense_argpartition(engine_and_seekers):
    engine, seekers = engine_and_seekers
    enc = SeekerBlock(engine, seekers)
    cand, prior, ties = engine._pools(enc.q, POOL)
    for tie in ties:  # every unsettled row partitioned densely (recommend_many settles most
        engine._dense_row(cand, prior, tie)  # from exact scores; test_..._from_dense_candidates)
    dense_cand, dense_prior = engine._dense_candidates(enc.q, POOL)
    assert cand.shape == dense_cand.shape == (len(seekers), POOL)
    assert _recommendable(cand, prior) == _recommendable(dense_cand, dense_prior)
    # The cases the sparse path treats apart all occurred.
    product = (enc.q @ engine._XT_base).toarray()
    product[:, ~engine._alive] = 0.0
    ranked = -np.sort(-product, axis=1)
    tied = ranked[:, POOL - 1] == ranked[:, POOL]
    assert (tied & (ranked[:, POOL] > 0)).any()
    assert ((product > 0).sum(axis=1) < POOL).any()
    assert not set(np.flatnonzero(~engine._alive)) & {
        int(c) for c, p in zip(cand.ravel(), prior.ravel(), strict=True) if p > 1e-7
    }


def test_recommendations_equal_those_from_dense_candidates(engine_and_seekers, monkeypatch):
    engine, seekers = engine_and_seekers
    settled = {"tied": 0, "dense": 0}
    tied_rows = engine._tied_rows

    def counting(enc, ties, top, top_scores):
        redo = tied_rows(enc, ties, top, top_scores)
        settled["tied"] += len(ties)
        settled["dense"] += len(redo)
        return redo

    monkeypatch.setattr(engine, "_tied_rows", counting)
    sparse = {k: engine.recommend_many(seekers, k) for k in (1, 5)}
    # Ties were settled both ways: by the positions above them, and densely.
    assert settled["tied"] > settled["dense"] > 0
    monkeypatch.setattr(engine, "_pools", lambda q, pool: (*engine._dense_candidates(q, pool), []))
    for k, matches in sparse.items():
        assert engine.recommend_many(seekers, k) == matches
    assert sum(map(len, sparse[5])) > len(seekers)
