"""Chinese text for search and matching: normalisation and jieba segmentation, loaded once."""

import re
import threading
import unicodedata

import jieba

_lock = threading.Lock()
_ready = False
_TOKEN_RE = re.compile(r"[0-9a-z\u4e00-\u9fff]+")


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _ensure_loaded() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        if not _ready:
            jieba.setLogLevel(60)
            jieba.initialize()
            _ready = True


def segment_for_index(*texts: str) -> str:
    """Tokens to store with a record, space separated (jieba search mode keeps sub-words)."""
    _ensure_loaded()
    out: list[str] = []
    for text in texts:
        for tok in jieba.cut_for_search(normalise(text)):
            for part in _TOKEN_RE.findall(tok):
                out.append(part)
    return " ".join(out)


def segment_query(text: str) -> list[str]:
    """Distinct tokens of a search query, in order."""
    _ensure_loaded()
    seen: dict[str, None] = {}
    for tok in jieba.cut(normalise(text)):
        for part in _TOKEN_RE.findall(tok):
            seen.setdefault(part, None)
    return list(seen)
