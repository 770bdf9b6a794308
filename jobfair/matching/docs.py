"""Plain inputs and outputs of the matching engine: PositionDoc, SeekerDoc, Match, SeekerMatch.

These carry only what matching may use. There is deliberately no field for a person's name,
gender, age, ethnicity, marital status or place of origin: the engine cannot see them.
SeekerDoc.groups must hold only the priority groups the seeker explicitly consented to have
used (seeker_profiles.group_consent); the caller (the app's adapter) is responsible for that.
"""

from dataclasses import dataclass
from typing import NamedTuple

# Codes follow jobfair/models/common.py (Education, WorkForm, PriorityGroup). The Chinese words
# for forms of work and priority groups live here, once: the library may not import the app,
# so the models take theirs from here (keyed by their enums).
EDUCATION_RANK = {
    "none": 0,
    "primary": 1,
    "junior": 2,
    "senior": 3,
    "college": 4,
    "bachelor": 5,
    "master": 6,
    "doctor": 7,
}
WORK_FORM_LABELS = {
    "full_time": "全日制",
    "part_time": "非全日制",
    "temporary": "临时性",
    "seasonal": "季节性",
    "flexible": "弹性工作",
}
GROUP_LABELS = {
    "graduate": "高校毕业生",
    "displaced_worker": "去产能分流职工",
    "rural_migrant": "农村转移劳动力",
    "veteran": "退役军人",
    "urban_hardship": "就业困难人员",
    "zero_employment_household": "零就业家庭成员",
    "retired_fisher": "退捕渔民",
    "registered_poor": "建档立卡贫困人员",
}
GROUP_BITS = {code: 1 << i for i, code in enumerate(GROUP_LABELS)}
WORK_FORM_BITS = {code: 1 << i for i, code in enumerate(WORK_FORM_LABELS)}


@dataclass(frozen=True)
class PositionDoc:
    """A published position as the engine sees it.

    tokens: the stored, space-separated jieba tokens (positions.search_tokens, written by
    jobfair.matching.text.segment_for_index); when empty, title, description and requirements
    are segmented here instead. inferred_occupations: ((code, confidence), ...) from
    jobfair.matching.infer_occupations, used only when occupation_code is empty.
    """

    id: int
    title: str = ""
    description: str = ""
    requirements: str = ""
    occupation_code: str = ""
    district: str = ""
    salary_min: int = 0
    salary_max: int = 0
    education: str = "none"
    work_form: str = "full_time"
    welcomed_groups: tuple[str, ...] = ()
    tokens: str = ""
    inferred_occupations: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class SeekerDoc:
    """A seeker's profile as the engine sees it (no name, contacts or protected attributes).

    text: skills, experience, major and intro; tokens: seeker_profiles.search_tokens when
    stored (then text is not segmented again). groups: consented priority groups only.
    inferred_occupations: ((code, confidence), ...) inferred from the text, used only when no
    desired occupation is known.
    """

    id: int
    text: str = ""
    desired_occupations: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    salary_min: int = 0
    education: str = "none"
    work_forms: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    tokens: str = ""
    inferred_occupations: tuple[tuple[str, float], ...] = ()


class Match(NamedTuple):
    """One recommended position for a seeker: score in [0, 1], reasons in Chinese.

    A named tuple, immutable like the other records here: a batch builds millions of these,
    and a tuple costs a fifth of a frozen dataclass to build.
    """

    position_id: int
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SeekerMatch:
    """One recommended seeker for a position (employers' 推荐人才)."""

    seeker_id: int
    score: float
    reasons: tuple[str, ...] = ()
