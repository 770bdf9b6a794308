"""Employers: data/employers.csv, with logins, e-mail addresses and valid credit codes."""

from .common import credit_code, read_csv, words


def build_employers() -> list[dict]:
    """One record per row; `key` and `positions` are for the generator and dropped on output."""
    out = []
    for i, row in enumerate(read_csv("employers.csv")):
        key, district, status = row["key"], row["district"], row["status"]
        out.append(
            {
                "key": key,
                "credit_code": credit_code(row["type_code"], district, 1000 + i * 7),
                "login": "13900000002" if i == 0 else f"1390000{100 + i:04d}",
                "email": f"hr.{key.replace('_', '-')}@example.com",
                "name": row["name"],
                "industry": row["industry"],
                "size": row["size"],
                "district": district,
                "address": row["address"],
                "contact_name": row["contact"],
                "contact_phone": f"1390000{2000 + i:04d}",
                "description": row["description"],
                "benefits": row["benefits"],
                "status": status,
                "review_reason": row["review_reason"],
                # Designated by the organiser to post 公益性岗位 (each post is still reviewed).
                "public_welfare_designated": row["public_welfare"] == "designated",
                "created_days_ago": 120 - i,
                "reviewed_days_ago": None if status == "pending" else 100 - i,
                "positions": words(row["positions"]),
            }
        )
    return out


def public(employers: list[dict]) -> list[dict]:
    """The records as written to employers.json."""
    return [{k: v for k, v in e.items() if k not in ("key", "positions")} for e in employers]
