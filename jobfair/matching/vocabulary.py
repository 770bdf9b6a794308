"""One vocabulary for search, the occupation picker and suggestion.

The occupation suggester knows how people name work (电焊 -> 焊工, 外卖 -> 网约配送员,
开叉车 -> 叉车工); position search and the picker use the same knowledge here instead of
keeping their own lists: search_terms widens each query token with the occupation it names
(its official name and its common job-board names), and picker_codes ranks occupations for
what someone types into the picker.
"""

from functools import lru_cache

from jobfair.matching.occupations import (
    catalogue,
    expand_single,
    infer_occupations,
    suggest_occupations,
)
from jobfair.matching.text import Term, expand_terms, segment_query

MIN_TERM_CONFIDENCE = 0.5  # a token widens to an occupation only when it clearly names it
MAX_NAMES = 6  # common names of that occupation added as alternatives
PICKER_MIN_SCORE = 0.5  # suggestions below this are TF-IDF look-alikes, not what was meant


def _occupation_names(index: int) -> list[str]:
    """The official name and the shortest job-board names of one occupation."""
    return _names_table(catalogue())[index]


@lru_cache(maxsize=2)
def _names_table(cat) -> list[list[str]]:
    """_occupation_names of every occupation, made in one pass over the catalogue's terms
    (a pass per query word cost ~0.4 ms, on every new word a crowd types)."""
    # Official names and the project's curated names (weight 1); the classification's own
    # job-board list is too loose for search (it files 视频 and C under software).
    named: list[list[str]] = [[] for _ in cat.names]
    for t, owners in cat.terms.items():
        if len(t) >= 2 and (not t.isascii() or len(t) >= 3):
            for index, weight in owners.items():
                if weight >= 1.0:
                    named[index].append(t)
    table = []
    for index, names in enumerate(named):
        names = sorted(names, key=lambda t: (len(t), t))[:MAX_NAMES]
        table.append([cat.names[index], *[n for n in names if n != cat.names[index]]])
    return table


def search_terms(tokens: list[str]) -> list[Term]:
    """Search terms for query tokens: synonyms, sub-words and the occupation each token names.

    A query of one character stands for the shortest occupation word it begins (焊 -> 焊工);
    one-character tokens beside other words (开 in 开叉车) are dropped.
    """
    words = []
    for tok in tokens:
        if len(tok) == 1 and not tok.isascii():
            if len(tokens) == 1:
                words.append(expand_single(tok))
            continue
        words.append(tok)
    out: list[Term] = []
    for word in dict.fromkeys(words):
        for term in expand_terms([word]):  # none when the word is not searchable text
            alts = dict.fromkeys(term)
            for alt in _occupation_alternatives(word):
                alts.setdefault(alt, None)
            out.append(tuple(alts))
    return out


@lru_cache(maxsize=4096)
def _occupation_alternatives(word: str) -> tuple[tuple[str, ...], ...]:
    """The names of the occupation a query word clearly names, segmented like a query."""
    cat = catalogue()
    if word.isascii() and word.lower() not in cat.terms:
        # Latin letters that name no occupation (pinyin such as baojie, a typo) only resemble
        # one through shared letters (baojie -> ie -> 工业工程技术人员): search them as typed.
        return ()
    guesses = infer_occupations(word, k=1) if len(word) >= 2 else ()
    if not guesses or guesses[0][1] < MIN_TERM_CONFIDENCE:
        return ()
    out = []
    for name in _occupation_names(cat.index[guesses[0][0]]):
        alt = tuple(dict.fromkeys(segment_query(name)))
        # A one-character piece (c of c++, 天 of 天车工) would match far too much.
        if alt and all(len(t) >= 2 for t in alt):
            out.append(alt)
    return tuple(out)


def picker_codes(text: str, limit: int = 10) -> list[str]:
    """Occupation codes the picker should offer first for what was typed, best first."""
    return [s.code for s in suggest_occupations(text, limit) if s.score >= PICKER_MIN_SCORE]


@lru_cache(maxsize=1024)
def codes_named_within(text: str) -> tuple[str, ...]:
    """Occupations one of whose curated names contains ``text`` (普工 -> 包装普工's code), the
    shortest name first: the picker offers them after what the suggester recognises, so a
    word used across trades does not leave one trade as the only choice."""
    text = text.strip()
    if len(text) < 2:
        return ()
    cat = catalogue()
    hits = sorted(
        (len(term), term, cat.codes[index])
        for term, owners in cat.terms.items()
        if text in term
        for index, weight in owners.items()
        if weight >= 1.0
    )
    return tuple(dict.fromkeys(code for _, _, code in hits))
