"""Demo 创业扶持 (seed/startups.json), loaded by `flask seed` after case work and training: the
mentor panel and start-up cases with loans, follow-ups and one registered 返乡入乡 farm.

Natural keys: a mentor by name + organisation; a start-up case by its person (one each); a loan
by case + amount + day applied; a follow-up by case + date. What exists is kept as it is.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.models.startup import (
    LoanStatus,
    Mentor,
    StartupCase,
    StartupFollowUp,
    StartupLoan,
    StartupStatus,
)
from jobfair.seeding import Tally, local_day, read_seed, users_by_login, write_transaction
from jobfair.startups import amounts
from jobfair.startups.loans import rate_bp


def seed_demo(now: datetime) -> Tally:
    tally = Tally()
    spec = read_seed("startups")
    today = local_day(now)
    with write_transaction():
        mentors = {}
        for item in spec["mentors"]:
            row = db.session.scalar(
                select(Mentor).filter_by(name=item["name"], organisation=item["organisation"])
            )
            if row is None:
                row = Mentor(**item, active=True, created_at=now - timedelta(days=400))
                db.session.add(row)
                tally.add("创业导师")
            else:
                tally.keep("创业导师")
            mentors[item["name"]] = row
        db.session.flush()
        users = users_by_login(c["seeker"] for c in spec["cases"])
        for item in spec["cases"]:
            user = users.get(item["seeker"])
            if user is None:
                tally.warnings.append(f"创业演示数据：找不到求职者 {item['seeker']}")
                continue
            if db.session.scalar(select(StartupCase.id).filter_by(seeker_id=user.id)):
                tally.keep("创业档案")
                continue
            _case(item, user.id, mentors, now, today)
            tally.add("创业档案")
            tally.add("创业担保贷款申请", len(item["loans"]))
    return tally


def _case(item: dict, seeker_id: int, mentors: dict, now: datetime, today) -> None:
    row = StartupCase(
        seeker_id=seeker_id,
        district=item["district"],
        business_name=item["business_name"],
        business_kind=item["business_kind"],
        sector=item["sector"],
        plan=item["plan"],
        returning_home=item["returning_home"],
        status=StartupStatus.PREPARING,
        created_at=now - timedelta(days=item["created_days_ago"]),
        updated_at=now - timedelta(days=min(f["days_ago"] for f in item["follow_ups"])),
    )
    if item.get("mentor"):
        row.mentor_id = mentors[item["mentor"]].id
        row.mentor_assigned_on = today - timedelta(days=item["mentor_days_ago"])
    if item.get("registered_days_ago") is not None:
        row.status = StartupStatus.REGISTERED
        row.credit_code = item["credit_code"]
        row.registered_on = today - timedelta(days=item["registered_days_ago"])
        row.employees = item["employees"]
    db.session.add(row)
    db.session.flush()
    for loan in item["loans"]:
        computed = amounts.loan_subsidy(
            loan["amount"], Decimal(loan["annual_rate"]), loan["term_months"]
        )
        status = LoanStatus(loan["status"])
        db.session.add(
            StartupLoan(
                startup_id=row.id,
                amount=loan["amount"],
                term_months=loan["term_months"],
                guarantee=loan["guarantee"],
                guarantor=loan["guarantor"],
                bank=loan["bank"],
                annual_rate_bp=rate_bp(loan["annual_rate"]),
                interest_subsidy=int(computed["value"] or 0) if computed else 0,
                subsidy_basis=computed["working"][:300] if computed else "",
                policy_code=computed["policy_code"] if computed else "",
                status=status,
                created_at=now - timedelta(days=loan["days_ago"]),
                decided_at=now - timedelta(days=loan["days_ago"] - 5)
                if status != LoanStatus.SUBMITTED
                else None,
                disbursed_on=today - timedelta(days=loan["disbursed_days_ago"])
                if loan.get("disbursed_days_ago")
                else None,
            )
        )
    for f in item["follow_ups"]:
        db.session.add(
            StartupFollowUp(
                startup_id=row.id,
                followed_on=today - timedelta(days=f["days_ago"]),
                channel=f["channel"],
                operating=f["operating"],
                employees=f["employees"],
                by_mentor=f["by_mentor"],
                summary=f["summary"],
                created_at=now - timedelta(days=f["days_ago"]),
            )
        )
    db.session.flush()
