"""Training answers the policy check: a course passed on the platform with a 职业技能等级证书
or 专项职业能力证书 is the fact 职业技能培训补贴 rests on, with the course fee as its cost.

Nothing is said when the platform has no such completion: the person may have trained
elsewhere, so the fact stays unknown rather than false. A 培训合格证书 alone does not settle
a condition that asks for a skills certificate.
"""

from jobfair import events
from jobfair.models.training import CertificateKind
from jobfair.training.facts import completed_courses

SKILL_CERTIFICATES = (CertificateKind.SKILL_LEVEL, CertificateKind.SPECIAL)


def policy_facts(subject, user_id=None, on=None, **_kw) -> dict:
    if subject != "seeker" or user_id is None:
        return {}
    done = [
        d
        for d in completed_courses(user_id)
        if d.certificate in SKILL_CERTIFICATES and (on is None or d.completed_on <= on)
    ]
    if not done:
        return {}
    latest = done[0]
    where = f"{latest.completed_on:%Y-%m-%d} 在{latest.provider}“{latest.title}”结业"
    return {
        "training_certificate": {
            "value": True,
            "note": f"{where}，证书编号 {latest.certificate_no}（平台记录）",
        },
        "training_cost": {"value": latest.fee, "note": f"“{latest.title}”的培训费（平台课程目录）"},
    }


def connect() -> None:
    events.policy_facts_wanted.connect(policy_facts)
