"""Demo notifications for the three demo accounts, loaded by `flask seed` after the core records."""

from datetime import datetime, timedelta

from sqlalchemy import select

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models.notification import Notification
from jobfair.models.user import User

DEMO = {
    "13900000003": [
        (
            "system",
            "欢迎使用云招聘平台",
            "完善求职资料（期望职业、技能、工作经历）后，“我的求职”页会为你推荐合适的岗位。",
            "/me/profile",
            3,
            True,
        ),
        (
            "application_status",
            "用人单位已查看你的投递",
            "你投递的岗位已被用人单位查看，请留意后续进展。",
            "/me/applications",
            1,
            False,
        ),
        (
            "position_push",
            "就业服务中心为你推荐了岗位",
            "根据你的求职意向，就业服务中心为你挑选了几个焊接和叉车岗位，去“我的求职”看看吧。",
            "/me",
            0.2,
            False,
        ),
    ],
    "13900000002": [
        (
            "system",
            "单位认证已通过",
            "贵单位已通过认证，可以发布岗位、查看推荐人才。",
            "/employer",
            5,
            True,
        ),
        (
            "application_new",
            "收到新投递",
            "有求职者投递了贵单位的岗位，请及时查看并处理。",
            "/employer/positions",
            0.5,
            False,
        ),
    ],
    "13900000001": [
        (
            "system",
            "重点群体精准匹配已开放",
            "选择重点群体和区域，查看每位求职者最匹配的岗位，并推送给他们。",
            "/organiser/priority-matching",
            1,
            False,
        ),
    ],
}


def seed_demo(now: datetime) -> dict[str, int]:
    """Create the demo notifications once (natural key: user, kind, title)."""
    made = 0
    db.session.commit()  # end any read transaction so the writes below take the lock first
    with writing():
        users = {
            u.phone: u for u in db.session.scalars(select(User).where(User.phone.in_(list(DEMO))))
        }
        for login, items in DEMO.items():
            user = users.get(login)
            if user is None:
                continue
            have = set(
                db.session.execute(
                    select(Notification.kind, Notification.title).where(
                        Notification.user_id == user.id
                    )
                ).all()
            )
            for kind, title, body, link, days, read in items:
                if (kind, title) in have:
                    continue
                created = now - timedelta(days=days)
                db.session.add(
                    Notification(
                        user_id=user.id,
                        kind=kind,
                        title=title,
                        body=body,
                        link=link,
                        created_at=created,
                        read_at=created + timedelta(hours=2) if read else None,
                    )
                )
                made += 1
        db.session.commit()
    return {"站内通知": made}
