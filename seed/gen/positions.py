"""Positions: each employer's templates from data/position_templates.csv, varied per employer,
plus the few held for review (data/held_positions.json)."""

from .common import read_csv, read_json, stable, words

# The flag an employer's 公益性岗位 carries until an organiser approves it (positions.channels).
PUBLIC_WELFARE_FLAG = {
    "phrase": "公益性岗位",
    "category": "公益性岗位",
    "field": "channel",
    "rule": "公益性岗位须经组织方审核后公开",
}

ENTERPRISE = "enterprise"
INTS = ("salary_min", "salary_max", "headcount")
OPTIONAL_INTS = ("trainee_months", "tenure_limit_months", "exam_in_days", "exam_signup_in_days")
# An employer's 公益性岗位 waiting for the organiser's review (the rest were approved).
WELFARE_HELD = ("qingjiangli", "p_welfare_lib")


def templates() -> dict[str, dict]:
    out = {}
    for row in read_csv("position_templates.csv"):
        t = {k: v for k, v in row.items() if k != "key"}
        for k in INTS:
            t[k] = int(t[k])
        for k in OPTIONAL_INTS:
            t[k] = int(t[k]) if t[k] else None
        t["groups"] = words(t["groups"])
        out[row["key"]] = t
    return out


def short_name(name: str) -> str:
    for prefix in ("南京市", "南京"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def _status(emp: dict, t_key: str, seq: int) -> str:
    if (
        emp["status"] != "verified"
        or seq % 13 == 0
        or (emp["key"], t_key) == ("ninggang", "m_paint")
    ):
        return "draft"
    if seq % 23 == 0 or (emp["key"], t_key) == ("ninggang", "m_mill"):
        return "closed"
    if (emp["key"], t_key) == WELFARE_HELD:
        return "held"
    return "published"


# 零工 and part-time templates are paid by the hour, day or piece, not by the month:
# template key -> (pay unit, 日结, lowest pay, highest pay) in yuan per unit.
PAY_BY_TEMPLATE = {
    "s_cleaner_pt": ("hour", False, 30, 40),
    "s_cashier_pt": ("hour", False, 20, 26),
    "c_waiter_pt": ("hour", True, 22, 28),
    "l_sorter_pt": ("hour", False, 24, 30),
    "l_loader_temp": ("day", True, 260, 300),
    "a_picker": ("day", True, 160, 200),
    "l_delivery": ("piece", False, 6, 9),
}


def build_positions(employers: list[dict], fill: dict) -> list[dict]:
    """`fill` holds the values of the {placeholders} in the templates' text."""
    tpl = templates()
    out = []
    seq = 0
    for emp in employers:
        titles = set()
        for t_key in emp["positions"]:
            t = tpl[t_key]
            seq += 1
            assert t["title"] not in titles, (emp["key"], t["title"])
            titles.add(t["title"])
            h = stable(emp["key"], t_key)
            smin, smax = t["salary_min"], t["salary_max"]
            if t["channel"] == ENTERPRISE:
                shift = (h % 5 - 2) * 200
                smin, smax = max(1000, smin + shift), smax + shift
            unit, daily_pay = "month", False
            if t_key in PAY_BY_TEMPLATE:
                unit, daily_pay, smin, smax = PAY_BY_TEMPLATE[t_key]
                smin, smax = smin + h % 3, smax + h % 3
            heads = max(1, t["headcount"] + (h // 7) % 3 - 1)
            status = _status(emp, t_key, seq)
            published = None
            welfare_flags = []
            if t["channel"] == "public_welfare":  # reviewed and approved by the organiser
                welfare_flags = [dict(PUBLIC_WELFARE_FLAG, approved=True)]
            if status == "held":  # only WELFARE_HELD: a 公益性岗位 not yet reviewed
                welfare_flags = [PUBLIC_WELFARE_FLAG]
                deadline = 30 + h % 60
            elif status == "published":
                published = 1 + h % 40
                deadline = 20 + h % 70
            elif status == "closed":
                published = 60 + h % 30
                deadline = -(3 + h % 20)
            else:
                deadline = 30 + h % 60
            values = dict(fill, short=short_name(emp["name"]), name=emp["name"])
            desc = t["description"].format(**values)
            if emp["benefits"]:
                desc += "\n\n福利待遇：" + emp["benefits"]
            desc += f"\n工作地点：南京市{emp['address']}。"
            out.append(
                {
                    "employer": emp["credit_code"],
                    "title": t["title"],
                    "description": desc,
                    "requirements": t["requirements"].format(**values),
                    "occupation_code": t["occupation_code"],
                    "salary_min": smin,
                    "salary_max": smax,
                    "pay_unit": unit,
                    "daily_pay": daily_pay,
                    "headcount": heads,
                    "district": emp["district"],
                    "address": emp["address"],
                    "education": t["education"],
                    "work_form": t["work_form"],
                    "channel": t["channel"],
                    "groups": t["groups"],
                    "status": status,
                    "review_flags": welfare_flags,
                    "published_days_ago": published,
                    "deadline_in_days": deadline,
                    **channel_fields(t, status),
                }
            )
    return out + held_positions(employers)


def channel_fields(t: dict, status: str) -> dict:
    """五个一批 fields: 见习 months, 公益性岗位 tenure, an exam announcement's dates and link.
    A closed announcement's exam is in the past."""
    exam, signup = t["exam_in_days"], t["exam_signup_in_days"]
    if exam is not None and status == "closed":
        exam, signup = -exam // 4, -exam // 2
    return {
        "trainee_months": t["trainee_months"],
        "tenure_limit_months": t["tenure_limit_months"],
        "exam_in_days": exam,
        "exam_signup_in_days": signup,
        "official_url": t["official_url"],
    }


def held_positions(employers: list[dict]) -> list[dict]:
    """Positions held for organiser review: discriminatory wording in the text, flagged."""
    by_key = {e["key"]: e for e in employers}
    out = []
    for h in read_json("held_positions.json"):
        emp = by_key[h["employer"]]
        out.append(
            {
                "employer": emp["credit_code"],
                "title": h["title"],
                "description": h["description"] + f"\n工作地点：南京市{emp['address']}。",
                "requirements": h["requirements"],
                "occupation_code": h["occupation_code"],
                "salary_min": h["salary_min"],
                "salary_max": h["salary_max"],
                "headcount": 3,
                "district": emp["district"],
                "address": emp["address"],
                "education": h["education"],
                "work_form": "full_time",
                "channel": ENTERPRISE,
                "groups": [],
                "status": "held",
                "review_flags": h["review_flags"],
                "published_days_ago": None,
                "deadline_in_days": 45,
                "trainee_months": None,
                "tenure_limit_months": None,
                "exam_in_days": None,
                "exam_signup_in_days": None,
                "official_url": "",
            }
        )
    return out
