"""Applications with their event histories (data/applications.json holds the flows and notes)."""

import random

from .common import read_json

# 五个一批 rules (jobfair/positions/channels.py): exam announcements take no applications, and
# only seekers with a consented 就业困难人员 / 零就业家庭 status apply to 公益性岗位.
ANNOUNCEMENTS = ("public_sector", "grassroots")
WELFARE_GROUPS = {"urban_hardship", "zero_employment_household"}


def may_apply(seeker: dict, pos: dict) -> bool:
    if pos["channel"] in ANNOUNCEMENTS:
        return False
    if pos["channel"] == "public_welfare":
        return bool(seeker.get("group_consent")) and bool(WELFARE_GROUPS & set(seeker["groups"]))
    return True


class Flows:
    def __init__(self):
        spec = read_json("applications.json")
        self.flow = spec["status_flow"]
        self.open_cycle = spec["open_cycle"]
        self.closed_cycle = spec["closed_cycle"]
        self.demo_cycle = spec["demo_employer_cycle"]
        self.demo_codes = set(spec["demo_employer_occupations"])
        self.apply_notes = spec["apply_notes"]
        self.event_notes = spec["event_notes"]
        self.demo_seeker = spec["demo_seeker"]

    def events(self, flow_key: str, start_days_ago: float, rng: random.Random) -> list[dict]:
        flow = self.flow[flow_key]
        t = start_days_ago
        events = []
        for k, status in enumerate(flow):
            if k:
                t = max(0.05, t - rng.uniform(0.3, min(4.0, max(0.4, t / len(flow)))))
            events.append(
                {"status": status, "days_ago": round(t, 2), "note": self.event_notes[status]}
            )
        return events


def build_applications(positions, seekers, employers, rng: random.Random) -> list[dict]:
    flows = Flows()
    open_positions = [
        p
        for p in positions
        if p["status"] in ("published", "closed") and p["channel"] not in ANNOUNCEMENTS
    ]
    by_code: dict[str, list[dict]] = {}
    for p in open_positions:
        by_code.setdefault(p["occupation_code"], []).append(p)
    demo_emp = employers[0]["credit_code"]
    taken: set[tuple] = set()
    apps = []
    cycle = {"open": 0, "closed": 0}

    def add(seeker, pos, flow_key=None):
        key = (seeker["login"], pos["employer"], pos["title"])
        if key in taken or not may_apply(seeker, pos):
            return False
        taken.add(key)
        if flow_key is None:
            kind = "closed" if pos["status"] == "closed" else "open"
            keys = flows.closed_cycle if kind == "closed" else flows.open_cycle
            flow_key = keys[cycle[kind] % len(keys)]
            cycle[kind] += 1
        age = pos["published_days_ago"] or 1
        start = rng.uniform(0.2, max(0.3, age - 0.1))
        if pos["status"] == "closed":
            start = max(start, -pos["deadline_in_days"] + 2.0)
        apps.append(
            {
                "seeker": seeker["login"],
                "employer": pos["employer"],
                "position": pos["title"],
                "note": rng.choice(flows.apply_notes),
                "events": flows.events(flow_key, round(start, 2), rng),
            }
        )
        return True

    for s in seekers:
        want = rng.choice([0, 1, 1, 1, 2, 2, 3])
        pool = [p for code in s["desired_occupations"] for p in by_code.get(code, [])]
        near = [p for p in pool if p["district"] in s["districts"]]
        choices = near or pool
        rng.shuffle(choices)
        for p in choices[:want]:
            add(s, p)

    # The demo employer gets applicants in every status.
    demo_positions = [p for p in open_positions if p["employer"] == demo_emp]
    demo_cycle = flows.demo_cycle
    welders = [s for s in seekers if set(s["desired_occupations"]) & flows.demo_codes]
    k = 0
    for s in welders:
        if k >= len(demo_cycle):
            break
        matching = [
            p
            for p in demo_positions
            if p["occupation_code"] in s["desired_occupations"] and p["status"] == "published"
        ]
        if matching and add(s, matching[k % len(matching)], demo_cycle[k]):
            k += 1
    return apps


def demo_seeker_applications(positions, employers, login: str, rng) -> list[dict]:
    """The demo seeker's own applications, picked by hand."""
    flows = Flows()
    by_key = {e["key"]: e["credit_code"] for e in employers}

    def pos(emp_key, title):
        for p in positions:
            if p["employer"] == by_key[emp_key] and p["title"] == title:
                return p
        raise KeyError((emp_key, title))

    out = []
    for pick in flows.demo_seeker:
        p = pos(pick["employer"], pick["position"])
        age = p["published_days_ago"] or 1
        start = min(age - 0.1, 6.0) if p["status"] == "published" else -p["deadline_in_days"] + 3
        out.append(
            {
                "seeker": login,
                "employer": p["employer"],
                "position": p["title"],
                "note": pick["note"],
                "events": flows.events(pick["flow"], round(start, 2), rng),
            }
        )
    return out
