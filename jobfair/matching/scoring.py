"""The matching score: one formula, its weights, and the reasons it gives.

For a seeker s and a position p (all terms are 0 or 1 unless said otherwise):

    raw(s, p) =  text          * (word_share * cos_words(s, p) + (1 - word_share) * cos_chars(s, p))
               + occupation    * [p's occupation is one s wishes for]
                 (else occupation_minor  * [same minor group, e.g. 6-18-02],
                  else occupation_middle * [same middle group, e.g. 6-18])
               + district      * [p's district is one s wishes for]
               + priority_group* [p welcomes a priority group s belongs to, with consent]
               + work_form     * [s named no form of work, or p's form is one s named]
               + salary        * [s named no minimum pay, or p's maximum pay reaches it]
               + education     * [s's education is at least what p requires]

    score(s, p) = raw(s, p) / (text + occupation + district + priority_group
                               + work_form + salary + education)          -> in [0, 1]

cos_words is the cosine of TF-IDF vectors over the stored jieba tokens; cos_chars the cosine of
TF-IDF vectors over character bigrams of tokens of three or more characters (so 氩弧焊工 and
氩弧焊 still meet). Protected attributes (gender, age, ethnicity, marital status, origin) are
no input at all, and words naming them are removed from both sides' text features.

Retrieval: the engine first ranks all positions by what the work is (the text and occupation
terms) in one sparse product, keeps the best `candidates` of them, and scores those exactly
with the whole formula; a position is recommended only when its text or occupation term is
above zero (sharing a district alone is no recommendation). A position outside the pool can
be missed, never mis-scored. Ties: by id.
"""

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class ScoringWeights:
    """Weights of the formula above (the app maps JOBFAIR_MATCH_WEIGHTS onto these names)."""

    text: float = 0.45
    word_share: float = 0.7
    occupation: float = 0.25
    occupation_minor: float = 0.15
    occupation_middle: float = 0.08
    district: float = 0.10
    priority_group: float = 0.10
    work_form: float = 0.04
    salary: float = 0.03
    education: float = 0.03
    candidates: int = 100  # retrieval pool per seeker before exact scoring

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"权重 {f.name} 必须是非负数")
        if not 0.0 <= self.word_share <= 1.0:
            raise ValueError("word_share 必须在 0 到 1 之间")
        if not self.occupation >= self.occupation_minor >= self.occupation_middle:
            raise ValueError("职业权重须满足 occupation ≥ occupation_minor ≥ occupation_middle")
        if self.total <= 0:
            raise ValueError("权重之和必须大于 0")
        if int(self.candidates) < 1:
            raise ValueError("candidates 必须至少为 1")

    @property
    def total(self) -> float:
        return (
            self.text
            + self.occupation
            + self.district
            + self.priority_group
            + self.work_form
            + self.salary
            + self.education
        )

    @classmethod
    def from_mapping(cls, values: dict | None) -> "ScoringWeights":
        """Weights from a plain mapping (e.g. app config); unknown keys are an error."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError("未知的匹配权重：" + "、".join(unknown))
        return cls(**values)

    def as_dict(self) -> dict:
        return asdict(self)


MAX_SKILL_TERMS = 3
