"""The search result cache follows every write to positions and employers in this process."""

from jobfair.positions import cache


def connect() -> None:
    cache.listen()
