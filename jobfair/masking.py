"""Masking personal data for people who may not see it in full (PIPL: the minimum needed)."""


def mask_phone(phone: str | None) -> str:
    """138****5678: the owner sees the full number, everyone else this."""
    if not phone:
        return ""
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return "****"


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return (local[:1] + "***@" + domain) if local else "***@" + domain


def mask_name(name: str | None) -> str:
    """张三丰 → 张**: the family name and one star per remaining character; "" for no name.

    Callers that must show something for a nameless person add their own word
    (``mask_name(n) or "求职者"``), so the rule itself has one result for an empty name.
    """
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
