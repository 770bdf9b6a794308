"""The one recipe for a position's stored search tokens (used by services and the seed loader)."""

from jobfair.matching.text import segment_for_index
from jobfair.models.occupation import Occupation
from jobfair.models.position import Position


def index_position(position: Position, occupation: Occupation | None) -> None:
    """Segment the position's text once, when it is written; the full-text index reads it."""
    occ_text = ""
    if occupation is not None:
        occ_text = occupation.name + " " + occupation.aliases.replace(",", " ")
    position.search_tokens = segment_for_index(
        position.title, position.description, position.requirements or "", occ_text
    )
