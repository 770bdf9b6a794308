"""Write the generated demo data files in seed/ from the hand-written records in seed/data/.

    python seed/generate.py          # rewrite employers/positions/seekers/applications.json
    python seed/generate.py --check  # exit 1 if the committed files are not what it writes

The loader (`flask seed`) reads only the files in seed/ itself; they are committed. The
generator is deterministic (fixed random seed), split by aggregate in seed/gen/. Everything
is fictional: company names are invented, phone numbers sit in the 1390000xxxx / 1370000xxxx
range, e-mail addresses use example.com.
"""

import json
import random
import sys

from gen.applications import build_applications, demo_seeker_applications
from gen.common import REFERENCE_YEAR, SEED, level4_codes
from gen.employers import build_employers, public
from gen.positions import build_positions
from gen.seekers import build_seekers, demo_seeker

RANDOM_SEED = 20260101


def build() -> dict[str, list]:
    rng = random.Random(RANDOM_SEED)
    occupations = level4_codes()
    employers = build_employers()
    # Template text that depends on the year: the classes a 见习 post is open to.
    fill = {"recent_classes": f"{REFERENCE_YEAR - 1}、{REFERENCE_YEAR} 届"}
    positions = build_positions(employers, fill)
    for p in positions:
        assert p["occupation_code"] in occupations, p["occupation_code"]
        assert p["salary_min"] <= p["salary_max"], p
    seekers = build_seekers(rng)
    for s in seekers:
        for code in s["desired_occupations"]:
            assert code in occupations, code
    demo = demo_seeker()
    applications = demo_seeker_applications(positions, employers, demo["login"], rng)
    taken = {(a["seeker"], a["employer"], a["position"]) for a in applications}
    for a in build_applications(positions, seekers, employers, rng):
        if (a["seeker"], a["employer"], a["position"]) not in taken:
            applications.append(a)
    return {
        "employers.json": public(employers),
        "positions.json": positions,
        "seekers.json": [demo, *seekers],
        "applications.json": applications,
    }


def main(argv: list[str]) -> int:
    files = build()
    stale = []
    for name, data in files.items():
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        path = SEED / name
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date, run python seed/generate.py:", ", ".join(stale))
        return 1
    positions, seekers = files["positions.json"], files["seekers.json"]
    print(
        f"{len(files['employers.json'])} employers, {len(positions)} positions "
        f"({len({p['occupation_code'] for p in positions})} occupations), "
        f"{len(seekers)} seekers, {len(files['applications.json'])} applications"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
