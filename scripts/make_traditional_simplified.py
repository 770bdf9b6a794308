"""Write jobfair/data/traditional-simplified.txt: traditional characters and their simplified form.

Postings copied from Hong Kong, Taiwan or older systems, and seekers whose phones default to
traditional input, write 電焊工 and 叉車司機; search, suggestion and matching read the simplified
form (jobfair.matching.text.normalise). The table is derived from ICU's Traditional-Simplified
transform (the `uconv` tool of ICU, needed only to run this script), kept to characters outside
GB 2312 whose simplified form is in it, so a character simplified Chinese also writes (著 of
著名, 乾 of 乾坤, 俱 of 俱乐部) is never changed; a few traditional forms GB 2312 also holds are
added by hand (後, 於 ...). A character that any of the project's Chinese data files uses is
left out, so the occupation catalogue and the vocabulary read exactly as before.
Run: python scripts/make_traditional_simplified.py (deterministic for one ICU version).
"""

import subprocess
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "jobfair" / "data"
OUT = DATA / "traditional-simplified.txt"
VOCABULARY = (
    "occupations-2022.csv",
    "regions-cn.csv",
    "occupation-aliases-jobboard.csv",
    "search-synonyms.txt",
    "job-ad-stopwords.txt",
)
# Traditional forms that GB 2312 also encodes, but that simplified text does not use for
# anything a job post says (後勤, 於, 特徵, 摺疊, 夥計, 菸草, 什麽, 箝工).
EXTRA = "後於徵摺夥菸麽箝"
HEADER = """\
# 繁体字 -> 简体字 (one pair a line: traditional, space, simplified), read by
# jobfair/matching/text.py. Written by scripts/make_traditional_simplified.py from ICU's
# Traditional-Simplified transform (ICU {version}, Unicode License); do not edit by hand.
"""


def in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def main() -> None:
    chars = [chr(c) for c in range(0x3400, 0x4DC0)] + [chr(c) for c in range(0x4E00, 0xA000)]
    simplified = subprocess.run(
        ["uconv", "-f", "utf-8", "-t", "utf-8", "-x", "Traditional-Simplified"],
        input="\n".join(chars) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    version = subprocess.run(["uconv", "--version"], capture_output=True, text=True).stdout
    version = version.split("ICU", 1)[-1].strip().split()[0] if "ICU" in version else "?"
    used = set()
    for name in VOCABULARY:
        used |= set((DATA / name).read_text(encoding="utf-8"))
    pairs = []
    for trad, simp in zip(chars, simplified, strict=False):
        if trad == simp or len(simp) != 1 or trad in used or not in_gb2312(simp):
            continue
        if in_gb2312(trad) and trad not in EXTRA:
            continue
        pairs.append(f"{trad} {simp}")
    OUT.write_text(HEADER.format(version=version) + "\n".join(pairs) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs -> {OUT}")


if __name__ == "__main__":
    main()
