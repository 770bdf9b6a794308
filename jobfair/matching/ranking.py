"""MatchingEngine: recommends positions to seekers and ranks seekers for a position.

One sparse product of the seekers' query rows with the index (index.py) ranks every position
by what the work is (text + occupation). The best `candidates` are then scored exactly with the
rest (middle group, district, priority group, form of work, salary, education), and only the
final k get reasons (reasons.py). The score is documented in scoring.py.
"""

import gc
from collections.abc import Sequence
from contextlib import contextmanager
from functools import partial

import numpy as np

from jobfair.matching.docs import Match, PositionDoc, SeekerDoc, SeekerMatch
from jobfair.matching.index import PositionIndex, SeekerBlock
from jobfair.matching.reasons import reasons_for

_new_match = partial(tuple.__new__, Match)  # Match from a (position_id, score, reasons) tuple
CHUNK = 256  # seekers encoded, scored and given reasons together in batch recommendation
# Seekers per dense product block (_dense_candidates, for an index with added rows): a small
# dense block (BLOCK rows x all positions, with argpartition's index array beside it) stays in
# the CPU's cache while it is filled, negated and partitioned. Measured in CPU time, 1,024
# seekers at 100,000 positions: 0.92 s at 8 rows, 1.02 s at 16, 1.20 s at 32. Without added
# rows, candidates come from sparse product rows instead (_pools).
BLOCK = 8


@contextmanager
def _no_gc_pauses():
    """Pause the cyclic garbage collector while building many small acyclic results.

    Millions of Match tuples would otherwise trigger full collections that rescan the whole
    heap again and again (measured: more than half of a batch's time). Nothing built here
    forms a cycle, and the collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class MatchingEngine(PositionIndex):
    """Positions in memory, ranked for seekers (recommend) and seekers for positions (rank_seekers).

    Build it from stored tokens (MatchingEngine.build), keep it current with add/remove, save it
    under the app's instance/ folder and load it back: all inherited from PositionIndex.
    """

    def _prior_block(self, q):
        """Sparse-part scores of every row for a block of seekers (dense, rows x all positions)."""
        p = (q @ self._XT_base).toarray()
        if self._X_delta is not None:
            p = np.hstack([p, (q @ self._X_delta.T).toarray()])
        if not self._alive.all():
            p[:, ~self._alive] = 0.0
        return p

    def _pools(self, q, pool: int):
        """Per seeker row of q: the pool best position rows by the sparse part, their scores,
        and the rows whose pool is not settled yet: (cand, cand_prior, ties).

        Row by row the same candidates as argpartition over each row of the dense product, as
        far as they can count: only positive scores are ever recommended, and their order
        never matters (the exact scores and ids order them).

        A row's pool: all its non-zeros when there are at most pool, else the ones above a
        strict gap between the pool-th best score and the next. When the pool-th best ties
        with the next, which of the tied positions argpartition keeps is its own choice: such
        a row holds only the positions strictly above the tie, and comes back in ties as
        (row, how many above, the tied score, the tied positions, its product row), to be
        settled by _dense_row or _tied_rows. Rows left short of pool are padded with row 0
        at score 0 (never recommended).
        """
        n_rows = len(self._alive)
        if pool >= n_rows:
            prior = self._prior_block(q)
            return np.broadcast_to(np.arange(n_rows), prior.shape), prior, []
        if self._X_delta is not None:
            return *self._dense_candidates(q, pool), []
        return self._select(q @ self._XT_base, pool)

    def _select(self, prod, pool: int):
        """_pools from the sparse product of a block of seekers with the index."""
        data, columns, indptr = prod.data, prod.indices, prod.indptr
        if not self._alive.all():
            data[~self._alive[columns]] = 0.0
        m = prod.shape[0]
        lengths = np.diff(indptr)
        cand = np.zeros((m, pool), dtype=np.intp)
        cand_prior = np.zeros((m, pool), dtype=data.dtype)
        # A row with at most pool non-zeros keeps them all, filled from the left.
        short = np.flatnonzero(lengths <= pool)
        if len(short):
            counts = lengths[short]
            at = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            src = np.repeat(indptr[short], counts) + at
            to = np.repeat(short * pool, counts) + at
            cand.ravel()[to] = columns[src]
            cand_prior.ravel()[to] = data[src]
        # A longer row: one partition of its scores puts its pool best last, the next best
        # just before them. Reading the pool off the partition (not by a cut over the whole
        # row afterwards) keeps the same set: the pool best are all above the next best.
        long_rows = np.flatnonzero(lengths > pool)
        bounds = indptr.tolist()
        best = np.empty((len(long_rows), pool + 1), dtype=np.int64)
        for i, r in enumerate(long_rows.tolist()):
            best[i] = data[bounds[r] : bounds[r + 1]].argpartition(-pool - 1)[-pool - 1 :]
        best += indptr[long_rows][:, None]
        scores = data[best]
        cut = scores[:, 1:].min(axis=1)
        tied = cut == scores[:, 0]
        gap = ~tied
        cand[long_rows[gap]] = columns[best[gap, 1:]]
        cand_prior[long_rows[gap]] = scores[gap, 1:]
        ties = []
        for i in np.flatnonzero(tied).tolist():
            r = int(long_rows[i])
            a, b = bounds[r], bounds[r + 1]
            row = data[a:b]
            above = row > cut[i]
            n = int(above.sum())
            cand[r, :n] = columns[a:b][above]
            cand_prior[r, :n] = row[above]
            ties.append((r, n, cut[i], columns[a:b][row == cut[i]], columns[a:b], row))
        return cand, cand_prior, ties

    def _dense_row(self, cand, cand_prior, tie) -> None:
        """A tied row's pool as argpartition over its dense product row picks it."""
        r, _, _, _, columns, row = tie
        dense = np.zeros(len(self._alive), dtype=row.dtype)
        dense[columns] = row
        best = np.argpartition(-dense, cand.shape[1] - 1)[: cand.shape[1]]
        cand[r] = best
        cand_prior[r] = dense[best]

    def _best(self, enc: SeekerBlock, rows, cand, cand_prior, k: int):
        """Per seeker row, its k best candidates (position rows, scores, text terms), best first;
        a score of -1 marks a candidate that cannot be recommended."""
        raw, text = self._exact(enc, rows[:, None], cand, cand_prior)
        scores = np.round(raw / self.weights.total, 4)
        valid = (cand_prior > 1e-7) & enc.has_any[rows][:, None]
        scores = np.where(valid, scores, -1.0)
        order = self._order(cand, scores, k)
        return (
            np.take_along_axis(cand, order, axis=1),
            np.take_along_axis(scores, order, axis=1),
            np.take_along_axis(text, order, axis=1),
        )

    def _tied_rows(self, enc: SeekerBlock, ties, top, top_scores) -> list:
        """The ties of _pools whose tied positions could enter their row's top k.

        A tied row's top k came from the positions above the tie (A) alone. The top k that
        argpartition's pool would give, A and some of the tied positions T, is the same
        unless a position of T ranks above the k-th of A (or A has fewer than k that can be
        recommended): only T's exact scores are needed to tell. T counts at all only when the
        tied score can be recommended and the seeker has something to match on.
        """
        live = [t for t in ties if t[2] > 1e-7 and enc.has_any[t[0]]]
        if not live:
            return []
        k = top.shape[1]
        sizes = [len(t[3]) for t in live]
        group = np.repeat(np.arange(len(live)), sizes)
        r = np.array([t[0] for t in live])
        prows = np.concatenate([t[3] for t in live])
        prior = np.repeat(np.array([t[2] for t in live], dtype=top_scores.dtype), sizes)
        raw, _ = self._exact(enc, r[group], prows, prior)
        scores = np.round(raw / self.weights.total, 4)
        # Each row's k-th: a tied position ranks above it with a higher score, or the same
        # score and a smaller id.
        kth_score, kth_id = top_scores[r, k - 1][group], self._ids[top[r, k - 1]][group]
        ids = self._ids[prows]
        above = (kth_score < 0) | (scores > kth_score) | ((scores == kth_score) & (ids < kth_id))
        return [live[i] for i in np.unique(group[above]).tolist()]

    def _dense_candidates(self, q, pool: int):
        """_pools over dense product blocks (an index with added rows), ties settled."""
        cand, cand_prior = [], []
        for start in range(0, q.shape[0], BLOCK):
            prior = self._prior_block(q[start : start + BLOCK])
            best = np.argpartition(-prior, pool - 1, axis=1)[:, :pool]
            cand.append(best)
            cand_prior.append(np.take_along_axis(prior, best, axis=1))
        return np.vstack(cand), np.vstack(cand_prior)

    def _exact(self, enc: SeekerBlock, srows: np.ndarray, prows: np.ndarray, prior: np.ndarray):
        """Exact raw scores and their parts for seeker rows x position rows (same shapes)."""
        w = self.weights
        district = self._district[prows]
        occ_part, retrieved = self._occupation_parts(enc, srows, prows)
        district_hit = enc.pick(enc.district, srows, district)
        shared_groups = self._groups[prows] & enc.groups[srows]
        group_hit = shared_groups != 0
        text = np.maximum(prior - retrieved, 0.0)
        forms = enc.forms[srows]
        form_fit = (forms == 0) | ((self._form[prows] & forms) != 0)
        salary = enc.salary[srows]
        salary_fit = (salary == 0) | (self._sal_max[prows] >= salary)
        edu_fit = enc.edu[srows] >= self._edu[prows]
        # text + occ_part + w.district * district_hit + ... + w.education * edu_fit, term by
        # term in that order: each fitting term adds its weight, the others add nothing.
        raw = text + occ_part
        for weight, fit in (
            (w.district, district_hit),
            (w.priority_group, group_hit),
            (w.work_form, form_fit),
            (w.salary, salary_fit),
            (w.education, edu_fit),
        ):
            np.add(raw, weight, out=raw, where=fit)
        return raw, text

    def _occupation_parts(self, enc: SeekerBlock, srows, prows):
        """The occupation term and its part already in the sparse product, per pair.

        A position's codes are its chosen code (confidence 1) or its inferred codes (their
        confidences); a seeker's are wished (1) or inferred (confidence). Per position code the
        best level counts (same occupation, else minor group, else middle group, each times the
        seeker's confidence), weighted by the position code's confidence and summed.
        """
        w = self.weights

        def term(occ, minor, middle, conf, srows, occ_part, retrieved):
            # Code -1 reads the always-zero first column. Only pairs in one middle group can
            # share anything (a code's occupation and minor group lie inside its middle
            # group): the others would add exactly 0, so they are left out.
            at = np.flatnonzero(enc.pick(enc.middle, srows, middle))
            if not len(at):
                return
            shape = occ.shape
            srows = np.broadcast_to(srows, shape).reshape(-1)[at]
            occ, minor, middle = (a.reshape(-1)[at] for a in (occ, minor, middle))
            conf = np.broadcast_to(conf, shape).reshape(-1)[at]
            o = enc.pick(enc.occ, srows, occ)
            mi = enc.pick(enc.minor, srows, minor)
            md = enc.pick(enc.middle, srows, middle)
            best = np.maximum(
                w.occupation * o, np.maximum(w.occupation_minor * mi, w.occupation_middle * md)
            )
            occ_part.reshape(-1)[at] += conf * best
            retrieved.reshape(-1)[at] += conf * (
                (w.occupation - w.occupation_minor) * o + w.occupation_minor * mi
            )

        occ_part = np.zeros(prows.shape, dtype=np.float64)
        retrieved = np.zeros(prows.shape, dtype=np.float64)
        occ = self._occ[prows]
        chosen = occ >= 0
        term(occ, self._minor[prows], self._middle[prows], chosen, srows, occ_part, retrieved)
        if not self._iconf.shape[0]:
            return occ_part, retrieved
        # Inferred codes, only for the pairs whose position has some (the others add nothing):
        # all slots of those pairs in one pass, then each pair's slots summed in slot order.
        flat = prows.reshape(-1)
        guessed = np.flatnonzero(~chosen.reshape(-1) & (self._iconf[flat, 0] > 0))
        if len(guessed):
            s_g = np.broadcast_to(srows, prows.shape)[np.unravel_index(guessed, prows.shape)]
            p_g = flat[guessed]
            parts = np.zeros((2, len(p_g), self._iocc.shape[1]), dtype=np.float64)
            term(
                self._iocc[p_g],
                self._iminor[p_g],
                self._imiddle[p_g],
                self._iconf[p_g],
                s_g[:, None],
                parts[0],
                parts[1],
            )
            for k in range(1, parts.shape[2]):
                parts[:, :, 0] += parts[:, :, k]
            occ_part.reshape(-1)[guessed] += parts[0, :, 0]
            retrieved.reshape(-1)[guessed] += parts[1, :, 0]
        return occ_part, retrieved

    def recommend(self, seeker: SeekerDoc, k: int = 20) -> list[Match]:
        """The k best positions for the seeker, best first, ties by position id."""
        return self.recommend_many([seeker], k)[0]

    def recommend_many(self, seekers: Sequence[SeekerDoc], k: int = 20) -> list[list[Match]]:
        """recommend for many seekers at once (blocks of sparse products, vectorised scoring)."""
        seekers = list(seekers)
        k = max(0, int(k))
        if not seekers:
            return []
        with self._lock, _no_gc_pauses():
            if not len(self._row_of) or k == 0:
                return [[] for _ in seekers]
            out: list[list[Match]] = []
            n_rows = len(self._alive)
            pool = min(n_rows, max(int(self.weights.candidates), k))
            for start in range(0, len(seekers), CHUNK):
                enc = SeekerBlock(self, seekers[start : start + CHUNK])
                cand, cand_prior, ties = self._pools(enc.q, pool)
                rows = np.arange(cand.shape[0])
                top, top_scores, top_text = self._best(enc, rows, cand, cand_prior, k)
                redo = self._tied_rows(enc, ties, top, top_scores) if ties else []
                if redo:
                    # A tied position could enter these rows' top k: argpartition decides.
                    for tie in redo:
                        self._dense_row(cand, cand_prior, tie)
                    again = np.array([tie[0] for tie in redo])
                    best = self._best(enc, again, cand[again], cand_prior[again], k)
                    for full, part in zip((top, top_scores, top_text), best, strict=True):
                        full[again] = part
                keep = top_scores >= 0
                top_text = top_text[keep]
                s_flat = np.broadcast_to(rows[:, None], top.shape)[keep]
                top = top[keep]
                reasons = reasons_for(self, enc, s_flat, top, top_text)
                ids = self._ids[top].tolist()
                scores = top_scores[keep].tolist()
                matches = list(map(_new_match, zip(ids, scores, reasons, strict=True)))
                bounds = np.cumsum(keep.sum(axis=1)).tolist()
                out.extend(map(matches.__getitem__, map(slice, [0, *bounds[:-1]], bounds)))
            return out

    def _order(self, cand, scores, k: int):
        """Per row, the columns of the k best candidates: score descending, then position id.

        One argsort of an integer key per row: the score in units of its fourth decimal (the
        scores are rounded to four) above the id. The same order as sorting by (-score, id);
        invalid candidates (score -1) come last. Ids outside 0..2**43 sort by lexsort instead.
        """
        ids = self._ids[cand]
        if ids.size and (ids.min() < 0 or ids.max() >= 1 << 43):
            return np.lexsort((ids, -scores), axis=1)[:, :k]
        units = np.rint(scores * 1e4).astype(np.int64)  # -10000 when invalid
        return np.argsort(((10_001 - units) << 43) | ids, axis=1)[:, :k]

    def _row_vector(self, position: PositionDoc):
        """The position's feature row, from the index when it is there and current."""
        r = self._row_of.get(int(position.id))
        if r is not None:
            if r < self._base_rows:
                return self._X_base[r], r
            return self._X_delta[r - self._base_rows], r
        return None, None

    def _pair_scores(self, position: PositionDoc, seekers: Sequence[SeekerDoc]):
        enc = SeekerBlock(self, seekers)
        x, row = self._row_vector(position)
        if x is None:
            # Not indexed (a draft, or a closed position): score it on the fly.
            rows, attrs, tokens, inferred = self._position_rows([position])
            x = rows
            tmp = MatchingEngine.__new__(MatchingEngine)
            tmp.__dict__.update(self.__dict__)
            tmp._ids = np.array([attrs[0][0]])
            tmp._occ, tmp._minor, tmp._middle, tmp._district = (
                np.array([a], dtype=np.int32) for a in attrs[0][1:5]
            )
            tmp._form, tmp._groups, tmp._sal_max, tmp._edu = (
                np.array([a], dtype=np.int64) for a in attrs[0][5:9]
            )
            tmp._alive = np.ones(1, dtype=bool)
            tmp._reset_inferred(inferred)
            tmp._X_base, tmp._base_rows, tmp._X_delta = x, 1, None
            # The 技能匹配 words must come from this position, not from the index's first row.
            tmp._XW_base = x[:, : self._n_words].tocsr()
            tmp._tokens = tokens
            owner, row = tmp, 0
        else:
            owner = self
        prior = np.asarray((enc.q @ x.T).toarray()).ravel()
        srows = np.arange(len(seekers))
        prows = np.full(len(seekers), row)
        raw, text = owner._exact(enc, srows, prows, prior)
        scores = np.round(raw / self.weights.total, 4)
        return owner, enc, row, prior, scores, text

    def rank_seekers(
        self, position: PositionDoc, seekers: Sequence[SeekerDoc], k: int = 20
    ) -> list[SeekerMatch]:
        """The k seekers (of those given) who fit the position best, ties by seeker id."""
        seekers = list(seekers)
        if not seekers or k <= 0:
            return []
        with self._lock:
            owner, enc, row, prior, scores, text = self._pair_scores(position, seekers)
            ids = np.array([int(s.id) for s in seekers], dtype=np.int64)
            ok = np.flatnonzero((prior > 1e-7) & enc.has_any)
            order = ok[np.lexsort((ids[ok], -scores[ok]))][:k]
            reasons = reasons_for(owner, enc, order, np.full(len(order), row), text[order])
            return [
                SeekerMatch(int(ids[i]), float(scores[i]), why)
                for i, why in zip(order, reasons, strict=True)
            ]

    def score(self, seeker: SeekerDoc, position: PositionDoc) -> Match:
        """The score and reasons of one seeker-position pair (0 and no reasons when nothing fits)."""
        with self._lock:
            if self._X_base is None:
                return Match(int(position.id), 0.0, ())
            owner, enc, row, prior, scores, text = self._pair_scores(position, [seeker])
            if prior[0] <= 1e-7 or not enc.has_any[0]:
                return Match(int(position.id), 0.0, ())
            reasons = reasons_for(owner, enc, np.zeros(1, dtype=np.int64), np.array([row]), text)
            return Match(int(position.id), float(scores[0]), reasons[0])
