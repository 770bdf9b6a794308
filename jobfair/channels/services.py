"""Channels: public URLs, QR codes and the RSS / JSON Feed of published positions.

Everything here is public: only published positions (and published fairs) are shown, and
feed items carry the job ad itself, never the employer's contact person or phone.
"""

import io
import json
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import qrcode
from flask import current_app, url_for
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathImage
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from jobfair import reference
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.formatting import label
from jobfair.formatting import pay_line as salary
from jobfair.ids import is_id, parse_id
from jobfair.models.common import GROUP_LABELS, PriorityGroup
from jobfair.models.employer import Employer
from jobfair.models.fair import Booth, BoothPosition, BoothStatus, Fair, FairStatus
from jobfair.models.position import Position, PositionGroup, PositionStatus
from jobfair.positions.search import china_today

FEED_LIMIT = 100
SUMMARY_CHARS = 140


# --- public URLs and QR codes --------------------------------------------------------------


def public_url(endpoint: str, **values) -> str:
    """Under JOBFAIR_PUBLIC_URL when set (what posters should print), else the site's own
    external URL (in a request: the host it came in on)."""
    base = (current_app.config.get("PUBLIC_URL") or "").strip()
    if not base:
        return url_for(endpoint, _external=True, **values)
    base = base if base.endswith("/") else base + "/"
    return urljoin(base, url_for(endpoint, **values).lstrip("/"))


@lru_cache(maxsize=512)
def qr_png(text: str) -> bytes:
    """A PNG QR code (error correction M, big enough modules to survive newspaper print)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(image_factory=PilImage).save(buf, format="PNG")
    return buf.getvalue()


def qr_svg(text: str) -> str:
    """The same QR code as inline SVG (a phone screen at the door; sharp at any size)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(image_factory=SvgPathImage).to_string(encoding="unicode")


# --- positions -----------------------------------------------------------------------------


def published_position(position_id: int) -> Position:
    """A published position, for anyone; anything else (draft, held, closed) is a 404."""
    position = db.session.get(Position, position_id) if is_id(position_id) else None
    if position is None or position.status != PositionStatus.PUBLISHED:
        raise NotFound("岗位不存在或未公开。")
    return position


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """One line of plain text for posters and feeds."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- fairs --------------------------------------------------------------------------------


def published_fair(fair_id: int) -> Fair:
    """A published fair for anyone; drafts, closed fairs and unknown ids are a 404."""
    fair = db.session.get(Fair, fair_id) if is_id(fair_id) else None
    if fair is None or fair.status != FairStatus.PUBLISHED:
        raise NotFound("招聘会不存在或未发布。")
    return fair


def fair_page_url(fair: Fair) -> str:
    """The fair's public page (fairs feature), what the QR code on its poster opens."""
    return public_url("fairs.detail", fair_id=fair.id)


def fair_details(fair: Fair) -> dict:
    """What a fair poster shows: approved booths (employers) and how many positions."""
    names = db.session.scalars(
        select(Employer.name)
        .join(Booth, Booth.employer_id == Employer.id)
        .where(Booth.fair_id == fair.id, Booth.status == BoothStatus.APPROVED)
        .order_by(Employer.name)
    ).all()
    positions = db.session.scalar(
        select(func.count(func.distinct(Position.id))).where(
            Position.id.in_(fair_position_ids_query(fair.id)),
            Position.status == PositionStatus.PUBLISHED,
        )
    )
    return {
        "employers": list(names),
        "employer_count": len(names),
        "position_count": positions or 0,
        "groups": [GROUP_LABELS.get(PriorityGroup(g), g) for g in fair.group_codes],
        "description": summary(fair.description or fair.theme, 160),
    }


def fair_position_ids_query(fair_id: int):
    """Ids of the positions shown at the fair's approved booths."""
    return (
        select(BoothPosition.position_id)
        .join(Booth, Booth.id == BoothPosition.booth_id)
        .where(Booth.fair_id == fair_id, Booth.status == BoothStatus.APPROVED)
    )


# --- feeds ---------------------------------------------------------------------------------


def parse_feed_filters(args) -> dict:
    """district / group / fair from the query string; an unknown value is a Chinese 400."""
    out: dict = {}
    district = (args.get("district") or "").strip()
    if district:
        if district not in reference.districts():
            raise DomainError(
                f"未知的区“{district}”。可选：{'、'.join(reference.districts())}。",
                code="bad_filter",
                status=400,
                fields={"district": "不是本市的区。"},
            )
        out["district"] = district
    group = (args.get("group") or "").strip()
    if group:
        if group not in {str(g) for g in PriorityGroup}:
            choices = "；".join(f"{g.value}（{GROUP_LABELS[g]}）" for g in PriorityGroup)
            raise DomainError(
                f"未知的重点群体“{group}”。可选：{choices}。",
                code="bad_filter",
                status=400,
                fields={"group": "不是可选的重点群体。"},
            )
        out["group"] = group
    fair = (args.get("fair") or "").strip()
    if fair:
        if parse_id(fair) is None:
            raise DomainError(
                "招聘会编号应为正整数。",
                code="bad_filter",
                status=400,
                fields={"fair": "应为整数。"},
            )
        try:
            found = published_fair(int(fair))
        except NotFound:
            raise DomainError(
                f"招聘会“{fair}”不存在或未发布。",
                code="bad_filter",
                status=400,
                fields={"fair": "招聘会不存在或未发布。"},
            ) from None
        out["fair"] = found.id
        out["fair_title"] = found.title
    return out


def feed_positions(filters: dict) -> list[Position]:
    """The latest published positions matching the filters (one query, employers joined)."""
    q = (
        select(Position)
        .options(joinedload(Position.employer))
        .where(
            Position.status == PositionStatus.PUBLISHED,
            # Like the public list: positions past their deadline are no longer advertised.
            or_(Position.deadline.is_(None), Position.deadline >= china_today()),
        )
    )
    if filters.get("district"):
        q = q.where(Position.district == filters["district"])
    if filters.get("group"):
        q = q.where(
            Position.id.in_(
                select(PositionGroup.position_id).where(PositionGroup.group == filters["group"])
            )
        )
    if filters.get("fair"):
        q = q.where(Position.id.in_(fair_position_ids_query(filters["fair"])))
    q = q.order_by(Position.published_at.desc(), Position.id.desc()).limit(FEED_LIMIT)
    return list(db.session.scalars(q).unique())


def _feed_title(filters: dict) -> str:
    parts = []
    if filters.get("fair_title"):
        parts.append(filters["fair_title"])
    if filters.get("district"):
        parts.append(filters["district"])
    if filters.get("group"):
        parts.append("欢迎" + GROUP_LABELS[PriorityGroup(filters["group"])])
    return "云招聘 · 招聘中的岗位" + (f"（{'，'.join(parts)}）" if parts else "")


def _query(filters: dict) -> dict:
    return {k: filters[k] for k in ("district", "group", "fair") if filters.get(k)}


def _home(filters: dict) -> str:
    """Where a reader of the feed goes: the fair's page, or the matching position search."""
    if filters.get("fair"):
        return public_url("fairs.detail", fair_id=filters["fair"])
    return public_url(
        "positions.index", **{k: filters[k] for k in ("district", "group") if filters.get(k)}
    )


def last_modified(positions: list[Position]) -> datetime | None:
    stamps = [p.updated_at or p.published_at for p in positions if p.updated_at or p.published_at]
    return max(stamps).replace(tzinfo=UTC) if stamps else None


def _item(p: Position) -> dict:
    """The public fields of one position: the ad, never contact people or phone numbers."""
    groups = [GROUP_LABELS.get(PriorityGroup(g), g) for g in p.welcomed_groups]
    text = summary(p.description)
    return {
        "id": p.id,
        "url": public_url("positions.detail", position_id=p.id),
        "title": p.title,
        "employer": p.employer.name,
        "district": p.district,
        "salary": salary(p),
        "salary_min": p.salary_min,
        "salary_max": p.salary_max,
        "work_form": label(p.work_form, "work_form"),
        "channel": label(p.channel, "channel"),
        "groups": groups,
        "group_codes": p.welcomed_groups,
        "headcount": p.headcount,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "summary": text,
        "published": (p.published_at or p.created_at).replace(tzinfo=UTC),
        "modified": (p.updated_at or p.published_at or p.created_at).replace(tzinfo=UTC),
    }


def rss(filters: dict, positions: list[Position]) -> bytes:
    """RSS 2.0; ElementTree escapes every text node, so titles cannot break the XML."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = _feed_title(filters)
    ET.SubElement(channel, "link").text = _home(filters)
    ET.SubElement(
        channel, "description"
    ).text = "公共就业服务云招聘平台发布的招聘中岗位，最新 100 条。"
    ET.SubElement(channel, "language").text = "zh-cn"
    modified = last_modified(positions)
    if modified:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(modified, usegmt=True)
    ET.SubElement(channel, "ttl").text = "30"
    for p in positions:
        it = _item(p)
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = f"{it['title']}｜{it['employer']}"
        ET.SubElement(node, "link").text = it["url"]
        ET.SubElement(node, "guid", isPermaLink="true").text = it["url"]
        ET.SubElement(node, "pubDate").text = format_datetime(it["published"], usegmt=True)
        ET.SubElement(node, "description").text = (
            f"{it['salary']} · {it['district']} · {it['work_form']} · 招{it['headcount']}人。"
            f"{it['summary']}"
        )
        ET.SubElement(node, "category").text = it["district"]
        for g in it["groups"]:
            ET.SubElement(node, "category").text = g
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def json_feed(filters: dict, positions: list[Position]) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with a `_jobfair` extension."""
    items = []
    for p in positions:
        it = _item(p)
        items.append(
            {
                "id": it["url"],
                "url": it["url"],
                "title": f"{it['title']}｜{it['employer']}",
                "content_text": (
                    f"{it['salary']} · {it['district']} · {it['work_form']} · "
                    f"招{it['headcount']}人。{it['summary']}"
                ),
                "summary": it["summary"],
                "date_published": it["published"].isoformat(),
                "date_modified": it["modified"].isoformat(),
                "tags": [it["district"], *it["groups"]],
                "_jobfair": {
                    "position_id": it["id"],
                    "title": it["title"],
                    "employer": it["employer"],
                    "district": it["district"],
                    "salary_min": it["salary_min"],
                    "salary_max": it["salary_max"],
                    "work_form": it["work_form"],
                    "channel": it["channel"],
                    "groups": it["group_codes"],
                    "headcount": it["headcount"],
                    "deadline": it["deadline"],
                },
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _feed_title(filters),
        "home_page_url": _home(filters),
        "feed_url": public_url("channels.feed_json", **_query(filters)),
        "description": "公共就业服务云招聘平台发布的招聘中岗位，最新 100 条。",
        "language": "zh-CN",
        "items": items,
    }
    return dumps_safe(feed).encode()


def dumps_safe(data) -> str:
    """JSON that stays inert if another site pastes it into HTML (<, >, & escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
