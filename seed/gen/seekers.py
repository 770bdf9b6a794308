"""Seekers: archetypes (data/seekers/archetypes.json) filled in with names and choices."""

import random

from .common import read_json


def build_seekers(rng: random.Random) -> list[dict]:
    names = read_json("seekers/names.json")
    spec = read_json("seekers/archetypes.json")
    multi = spec["multi_groups"]
    out = []
    n = 0
    for a in spec["archetypes"]:
        (y0, y1), (s0, s1) = a["born"], a["salary"]
        for j in range(a["count"]):
            n += 1
            name = rng.choice(names["surnames"]) + rng.choice(names["given"])
            grp = multi[j % len(multi)] if a["groups"] is None else a["groups"]
            codes, districts, skills = a["occupations"], a["districts"], a["skills"]
            desired = rng.sample(codes, k=min(len(codes), rng.choice([2, 3, 3, 4])))
            dists = rng.sample(districts, k=min(len(districts), rng.choice([1, 2, 2, 3])))
            phone = f"1370000{n:04d}"
            email_login = "graduate" in grp and n % 5 == 0
            birth = rng.randint(y0, y1)
            out.append(
                {
                    "login": f"seeker{n:03d}@example.com" if email_login else phone,
                    "name": name,
                    "phone": phone,
                    "birth_year": birth,
                    "education": rng.choice(a["education"]),
                    "major": rng.choice(a["majors"]),
                    "skills": "、".join(rng.sample(skills, k=min(len(skills), 2))).replace(
                        "、、", "、"
                    ),
                    "experience": rng.choice(a["experience"]),
                    "desired_occupations": desired,
                    "districts": dists,
                    "salary_min": rng.randrange(s0, s1 + 1, 500),
                    "work_forms": rng.choice(a["work_forms"]),
                    "intro": rng.choice(a["intros"]),
                    "groups": list(grp),
                    "group_consent": bool(grp),
                    "consent_days_ago": 30 + n % 60 if grp else None,
                    "discoverable": n % 5 in (1, 3),
                    "created_days_ago": 20 + n % 90,
                    "archetype": a["label"],
                }
            )
    return out


def demo_seeker() -> dict:
    return read_json("seekers/demo_seeker.json")
