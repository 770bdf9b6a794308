"""Row ids from URLs, forms, JSON and socket events: one rule for what an id can be."""

from jobfair.errors import NotFound

# Ids are 32-bit integers in every table: a larger number cannot name a row (and PostgreSQL
# would refuse it as a parameter), so it is a 404, not a database error.
MAX_ID = 2**31 - 1


def is_id(value) -> bool:
    """True for an int that could be a row id (bools are not ids)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse_id(value) -> int | None:
    """An id from an int or a string of digits; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 10:
            return None
        value = int(value)
    return value if is_id(value) else None


def require_id(value, message: str = "页面或数据不存在。") -> int:
    """The id, or NotFound with the caller's Chinese message."""
    ident = parse_id(value)
    if ident is None:
        raise NotFound(message)
    return ident
