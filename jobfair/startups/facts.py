"""Start-up facts other features may rely on: a registered business (一次性创业补贴) and the
person's 创业担保贷款 (贴息). Plain frozen records from committed rows."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jobfair.extensions import db
from jobfair.models.startup import StartupCase, StartupLoan, StartupStatus
from jobfair.startups.reports import months_between


@dataclass(frozen=True)
class Business:
    startup_id: int
    business_name: str
    business_kind: str
    district: str
    credit_code: str
    registered_on: date
    returning_home: bool
    employees: int

    def months_operating(self, on: date) -> int:
        """Whole months from registration to ``on``."""
        return months_between(self.registered_on, on)


@dataclass(frozen=True)
class Loan:
    loan_id: int
    amount: int
    term_months: int
    annual_rate: Decimal  # percent, e.g. 3.45
    status: str
    disbursed_on: date | None
    interest_subsidy: int


def registered_business(seeker_id: int) -> Business | None:
    row = db.session.scalar(
        db.select(StartupCase).filter_by(seeker_id=seeker_id, status=StartupStatus.REGISTERED)
    )
    if row is None:
        return None
    return Business(
        startup_id=row.id,
        business_name=row.business_name,
        business_kind=row.business_kind,
        district=row.district,
        credit_code=row.credit_code or "",
        registered_on=row.registered_on,
        returning_home=row.returning_home,
        employees=row.employees,
    )


def loans(seeker_id: int) -> list[Loan]:
    rows = db.session.scalars(
        db.select(StartupLoan)
        .join(StartupCase, StartupCase.id == StartupLoan.startup_id)
        .where(StartupCase.seeker_id == seeker_id)
        .order_by(StartupLoan.created_at.desc(), StartupLoan.id.desc())
    )
    return [
        Loan(
            loan_id=r.id,
            amount=r.amount,
            term_months=r.term_months,
            annual_rate=Decimal(r.annual_rate_bp) / 100,
            status=r.status,
            disbursed_on=r.disbursed_on,
            interest_subsidy=r.interest_subsidy,
        )
        for r in rows
    ]
