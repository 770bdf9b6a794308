"""SECURITY.md accounts for all 48 checklist items, and every test it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = {
    f"{letter}{n}"
    for letter, count in zip("ABCDEFGHI", (7, 5, 7, 3, 4, 5, 5, 3, 9), strict=True)
    for n in range(1, count + 1)
}


def _rows() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in (ROOT / "SECURITY.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[A-I]\d", cells[0]):
            rows[cells[0]] = (cells[2], cells[3])
    return rows


def test_every_checklist_item_has_a_status():
    rows = _rows()
    assert set(rows) == ITEMS and len(ITEMS) == 48
    assert {status for status, _ in rows.values()} <= {"pass", "n/a", "open"}
    counts = {s: sum(1 for st, _ in rows.values() if st == s) for s in ("pass", "n/a", "open")}
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert f"{counts['pass']} pass, {counts['n/a']} n/a, {counts['open']} open" in text


def test_every_named_test_exists_and_passing_items_name_one():
    missing = []
    for item, (status, cell) in _rows().items():
        current = None
        named = 0
        for match in re.finditer(r"`(test_\w+\.py)?::(test_\w+)`", cell):
            current = match.group(1) or current
            assert current, f"{item}: {match.group(0)} names no file"
            source = (ROOT / "tests" / current).read_text(encoding="utf-8")
            if not re.search(rf"^def {match.group(2)}\(", source, re.M):
                missing.append(f"{item}: {current}::{match.group(2)}")
            named += 1
        if status == "pass":
            assert named, f"{item} passes but names no test"
        else:
            assert len(cell) > 30, f"{item} ({status}) needs a reason"
    assert not missing, missing
