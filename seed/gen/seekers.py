"""Seekers: archetypes (data/seekers/archetypes.json) turned into people with their own stories.

Each seeker gets a name that fits their sex and generation, an education whose graduation year
follows from the birth year, and a work history assembled from the archetype's story parts
with years worked out from that timeline (school leaving, first job, a change, the last job).
Seekers that other demo data refers to (case files, 零就业 households) are pinned in
data/seekers/pinned.csv so their names, districts and stories match those records.
"""

import random
import re

from .common import REFERENCE_YEAR, read_csv, read_json, words

# Usual age on leaving school with this education (小学 12, 初中 15, 高中/中专 18, 大专 21,
# 本科 22, 硕士 25); a seeker's graduation year is birth year + this + 0 or 1.
SCHOOL_AGE = {
    "primary": 12,
    "junior": 15,
    "senior": 18,
    "college": 21,
    "bachelor": 22,
    "master": 25,
}
LEFT_SCHOOL = {
    "primary": "小学毕业",
    "junior": "初中毕业",
    "college": "大专毕业",
    "bachelor": "本科毕业",
    "master": "研究生毕业",
}
FIRST_JOB_AGE = 16
# Nine years of schooling are compulsory: only older seekers left school after 小学.
PRIMARY_ONLY_BEFORE = 1985


def left_school(education: str, major: str) -> str:
    if education != "senior":
        return LEFT_SCHOOL[education]
    if "技校" in major:
        return "技校毕业"
    return "中专毕业" if "中专" in major else "高中毕业"


def by_education(options, education: str):
    """A list of options, or a dict of lists by education ('*' for the rest)."""
    if isinstance(options, dict):
        return options.get(education, options.get("*", [""]))
    return options


class Names:
    def __init__(self, rng: random.Random, taken: set[str]):
        spec = read_json("seekers/names.json")
        self.rng = rng
        self.surnames = spec["surnames"]
        self.given = spec["given"]
        self.taken = taken

    def pick(self, sex: str, birth_year: int) -> str:
        era = (
            "before_1975"
            if birth_year < 1975
            else "1975_1989"
            if birth_year < 1990
            else "from_1990"
        )
        for _ in range(50):
            name = self.rng.choice(self.surnames) + self.rng.choice(self.given[era][sex])
            if name not in self.taken:
                break
        self.taken.add(name)
        return name


def pinned() -> dict[str, dict]:
    return {row["login"]: row for row in read_csv("seekers/pinned.csv")}


class Person:
    """One seeker's timeline and the values its story templates are filled with."""

    def __init__(self, rng: random.Random, spec: dict, pin: dict | None):
        self.rng = rng
        self.spec = spec
        pin = pin or {}
        self.sex = pin.get("sex") or ("male" if rng.random() < spec["male_share"] else "female")
        edu = pin.get("education") or rng.choice(spec["education"])
        age = SCHOOL_AGE[edu]
        if pin.get("birth_year"):
            birth = int(pin["birth_year"])
            grad = int(pin["graduated"]) if pin.get("graduated") else birth + age
        elif "graduated" in spec:
            grad = rng.randint(*spec["graduated"])
            birth = grad - age - rng.choice([0, 0, 1])
        else:
            lo, hi = spec["born"]
            birth = rng.randint(lo, min(hi, REFERENCE_YEAR - age - 1))
            if edu == "primary" and birth >= PRIMARY_ONLY_BEFORE:
                edu, age = "junior", SCHOOL_AGE["junior"]
            grad = birth + age + rng.choice([0, 0, 1])
        self.education, self.birth, self.grad = edu, birth, min(grad, REFERENCE_YEAR)
        self.major = rng.choice(by_education(spec["majors"], edu))
        self.timeline()

    def timeline(self) -> None:
        rng, spec = self.rng, self.spec
        start = self.grad + rng.choice(spec.get("start_delay", [0, 1, 1, 2]))
        start = min(max(start, self.birth + FIRST_JOB_AGE), REFERENCE_YEAR)
        if "tenure" in spec:
            fits = [t for t in spec["tenure"] if start + t <= REFERENCE_YEAR]
            end = start + rng.choice(fits or [REFERENCE_YEAR - start])
        else:
            lo, hi = spec.get("left", [REFERENCE_YEAR - 1, REFERENCE_YEAR])
            end = min(rng.randint(max(lo, start + 2), max(hi, start + 2)), REFERENCE_YEAR)
        mid = rng.randint(start + 1, end - 1) if end - start >= 2 else start
        self.start, self.mid, self.end = start, mid, end

    def values(self, districts: list[str], shared: dict) -> dict:
        rng = self.rng
        values = {
            "grad": self.grad,
            "start": self.start,
            "mid": self.mid,
            "end": self.end,
            "years": self.end - self.start,
            "start_years": self.mid - self.start,
            "mid_years": self.end - self.mid,
            "later": rng.randint(min(self.end + 1, REFERENCE_YEAR), REFERENCE_YEAR),
            "months": rng.randint(3, 10),
            "major": self.major,
            "left_school": left_school(self.education, self.major),
            "home": districts[0].removesuffix("区"),
            "spouse": "丈夫" if self.sex == "female" else "妻子",
        }
        for name, options in {**shared, **self.spec.get("vars", {})}.items():
            options = by_education(options, self.education)
            choice = rng.choice(options)
            if isinstance(choice, dict):  # values that belong together, e.g. a place and its job
                values.update(choice)
                continue
            values[name] = choice
            others = [o for o in options if o != choice]
            if others:
                values.setdefault(f"{name}2", rng.choice(others))
        return values

    def story(self, values: dict) -> str:
        parts = [self.rng.choice(by_education(p, self.education)) for p in self.spec["story"]]
        return fill("".join(parts), values)


def fill(template: str, values: dict) -> str:
    text = template
    for _ in range(3):  # values may hold placeholders of their own ("{spouse}有残疾")
        text = text.format_map(values)
        if "{" not in text:
            return text
    raise ValueError(f"unfilled placeholder in {template!r}")


YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def check(seeker: dict) -> None:
    """What tests/test_seed.py also checks: the years told fall between leaving school and now."""
    grad = seeker["graduated"]
    for year in map(int, YEAR.findall(seeker["experience"] + seeker["intro"])):
        assert grad <= year <= REFERENCE_YEAR, (seeker["login"], year, seeker["experience"])
    offset = grad - seeker["birth_year"] - SCHOOL_AGE[seeker["education"]]
    assert 0 <= offset <= 2 and seeker["graduated"] <= REFERENCE_YEAR, seeker


def build_seekers(rng: random.Random) -> list[dict]:
    spec = read_json("seekers/archetypes.json")
    pins = pinned()
    streets = read_json("seekers/streets.json")["streets"]
    names = Names(rng, {p["name"] for p in pins.values()} | {demo_seeker()["name"]})
    out = []
    n = 0
    for archetype in spec["archetypes"]:
        variants = archetype.get("variants") or [{}]
        for j in range(archetype["count"]):
            n += 1
            v = {**archetype, **variants[j % len(variants)]}
            phone = f"1370000{n:04d}"
            pin = pins.get(phone, {})
            person = Person(rng, v, pin)
            groups = v["groups"]
            codes, districts = v["occupations"], v["districts"]
            desired = words(pin.get("occupations", "")) or rng.sample(
                codes, k=min(len(codes), rng.choice([2, 3, 3, 4]))
            )
            dists = words(pin.get("districts", "")) or rng.sample(
                districts, k=min(len(districts), rng.choice([1, 2, 2, 3]))
            )
            values = person.values(dists, spec["vars"])
            experience = fill(pin["experience"], values) if pin.get("experience") else None
            s0, s1 = v["salary"]
            seeker = {
                "login": f"seeker{n:03d}@example.com"
                if "graduate" in groups and n % 5 == 0
                else phone,
                "name": pin.get("name") or names.pick(person.sex, person.birth),
                "phone": phone,
                "birth_year": person.birth,
                "education": person.education,
                "graduated": person.grad,
                "major": values["major"],  # an internship may come with its major
                "skills": "、".join(rng.sample(v["skills"], k=min(len(v["skills"]), 2))),
                "experience": experience or person.story(values),
                "desired_occupations": desired,
                "districts": dists,
                # Where they live (the story's home district), apart from where they want work.
                "hukou_district": dists[0],
                "residence_district": dists[0],
                "residence_street": streets[dists[0]][n % len(streets[dists[0]])],
                "salary_min": rng.randrange(s0, s1 + 1, 500),
                "work_forms": rng.choice(v["work_forms"]),
                "intro": rng.choice(v["intros"]),
                "groups": list(groups),
                "group_consent": bool(groups),
                "consent_days_ago": 30 + n % 60 if groups else None,
                "discoverable": n % 5 in (1, 3),
                "created_days_ago": 20 + n % 90,
                "archetype": archetype["label"],
            }
            check(seeker)
            out.append(seeker)
    return out


def demo_seeker() -> dict:
    return read_json("seekers/demo_seeker.json")
