"""Demo employers (seed/employers.json), keyed by 统一社会信用代码, with the organiser's
review decisions as the console would have recorded them."""

from datetime import datetime

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models import AuditLog, Employer, Role
from jobfair.seeding import Tally, ago, read_seed, users_by_login, write_transaction

LABEL, AUDIT = "用人单位", "审核记录"


def seed_demo(now: datetime) -> Tally:
    tally = Tally(created={LABEL: 0, AUDIT: 0})
    records = read_seed("employers")
    organiser_login = read_seed("accounts")["organisers"][0]["login"]
    with write_transaction():
        users = users_by_login([r["login"] for r in records] + [organiser_login])
        organiser = users.get(organiser_login)
        codes = [r["credit_code"] for r in records]
        have = set(
            db.session.scalars(select(Employer.credit_code).where(Employer.credit_code.in_(codes)))
        )
        taken = set(
            db.session.scalars(
                select(Employer.user_id).where(Employer.user_id.in_([u.id for u in users.values()]))
            )
        )
        decided = []
        for rec in records:
            if rec["credit_code"] in have:
                tally.keep(LABEL)
                continue
            user = users.get(rec["login"])
            if user is None or user.role != Role.EMPLOYER or user.id in taken:
                tally.warnings.append(f"跳过单位“{rec['name']}”：账号 {rec['login']} 不可用。")
                continue
            reviewed = ago(now, rec["reviewed_days_ago"])
            emp = Employer(
                user_id=user.id,
                name=rec["name"],
                credit_code=rec["credit_code"],
                industry=rec["industry"],
                size=rec["size"],
                district=rec["district"],
                address=rec["address"],
                contact_name=rec["contact_name"],
                contact_phone=rec["contact_phone"],
                description=rec["description"],
                status=rec["status"],
                review_reason=rec["review_reason"],
                public_welfare_designated=rec["public_welfare_designated"],
                reviewed_at=reviewed,
                created_at=ago(now, rec["created_days_ago"]),
                updated_at=reviewed or ago(now, rec["created_days_ago"]),
            )
            db.session.add(emp)
            tally.add(LABEL)
            if rec["status"] != "pending":
                decided.append((emp, rec, reviewed))
        db.session.flush()
        for emp, rec, reviewed in decided:
            detail = {
                "name": emp.name,
                "credit_code": emp.credit_code,
                "previous_status": "pending",
            }
            if rec["review_reason"]:
                detail["reason"] = rec["review_reason"]
            db.session.add(
                AuditLog(
                    actor_id=organiser.id if organiser else None,
                    action="employer.verify" if rec["status"] == "verified" else "employer.reject",
                    object_type="employer",
                    object_id=emp.id,
                    detail=detail,
                    created_at=reviewed,
                )
            )
            tally.add(AUDIT)
    return tally
