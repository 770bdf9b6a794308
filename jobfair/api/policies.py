"""API: the city's policy catalogue (public), its versions (organisers replace the file, see
the history, put an old version back), and the eligibility check."""

from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.employers.acting import employer_of
from jobfair.errors import DomainError
from jobfair.policies import eligibility, store
from jobfair.positions.services import get_own_position
from jobfair.security import role_required

bp = api_blueprint("api_policies", "/policies", "就业创业政策清单、资格自查、补贴申请")


class PolicyAmountOut(Schema):
    text = fields.Str(metadata={"description": "补贴标准（文字）"})
    rule = fields.Dict(
        metadata={
            "description": "可计算的规则：kind = fixed 定额 / per_person 按人 / per_month 按月 / "
            "percent_of 按比例 / loan_interest 贷款贴息 / tiered_months 按缴费年限分档；"
            "其余为金额（元）、比例（%）、月数等数值"
        }
    )


class PolicyPeriodOut(Schema):
    kind = fields.Str(metadata={"description": "once 一次性 / year 年度 / quarter 季度 / month 月"})
    text = fields.Str()


class PolicyOut(Schema):
    code = fields.Str(metadata={"description": "稳定的政策代码"})
    name = fields.Str()
    for_ = fields.Str(data_key="for", metadata={"description": "seeker 个人 / employer 用人单位"})
    for_label = fields.Str()
    claim_by = fields.Str(
        metadata={"description": "self 本人申请 / hire 单位按所招用人员申请 / employer 单位申请"}
    )
    summary = fields.Str()
    conditions = fields.List(fields.Str(), metadata={"description": "申请条件（文字）"})
    amount = fields.Nested(PolicyAmountOut)
    period = fields.Nested(PolicyPeriodOut)
    how_to_apply = fields.Str()
    materials = fields.List(fields.Str())
    basis = fields.Str(metadata={"description": "政策依据"})
    demo = fields.Bool(metadata={"description": "演示数据（金额非实际标准）"})


class PolicyCatalogueOut(Schema):
    city = fields.Str()
    city_code = fields.Str()
    title = fields.Str()
    note = fields.Str()
    version = fields.Int(allow_none=True, metadata={"description": "现行版本号（未保存过为空）"})
    policies = fields.List(fields.Nested(PolicyOut))


class PolicyVersionOut(Schema):
    id = fields.Int()
    version = fields.Int()
    source_name = fields.Str()
    note = fields.Str()
    reverted_from = fields.Int(allow_none=True)
    created_by = fields.Str(metadata={"description": "操作人"})
    created_at = fields.Str()
    current = fields.Bool()


class PolicyVersionList(Schema):
    items = fields.List(fields.Nested(PolicyVersionOut))


class PolicyVersionIn(Schema):
    content = fields.Dict(
        required=True,
        metadata={"description": "完整的政策文件（与 seed/policies/<城市代码>.json 同格式）"},
    )
    note = fields.Str(metadata={"description": "更换说明"})


class PolicyRevertIn(Schema):
    note = fields.Str()


def catalogue_dict() -> dict:
    cat, row = store.current()
    return {
        "city": cat.city,
        "city_code": cat.city_code,
        "title": cat.title,
        "note": cat.note,
        "version": row.version if row else None,
        "policies": [p.as_dict() for p in cat.policies],
    }


def version_dict(row, current_id) -> dict:
    return {
        "id": row.id,
        "version": row.version,
        "source_name": row.source_name,
        "note": row.note,
        "reverted_from": row.reverted_from,
        "created_by": row.author.name if row.author else "系统",
        "created_at": row.created_at.isoformat() + "Z",
        "current": row.id == current_id,
    }


@bp.route("", methods=["GET"])
@bp.response(200, PolicyCatalogueOut)
def list_policies():
    """本市就业创业政策清单（公开）：每项政策的代码、名称、适用对象、条件、补贴标准和申领方式"""
    data = catalogue_dict()
    for p in data["policies"]:
        p["for_"] = p.pop("for")
    return data


@bp.route("/<code>", methods=["GET"])
@bp.response(200, PolicyOut)
def get_policy(code: str):
    """一项政策（公开）"""
    data = store.policy(code).as_dict()
    data["for_"] = data.pop("for")
    return data


@bp.route("/catalogue/versions", methods=["GET"])
@bp.response(200, PolicyVersionList)
@role_required("organiser")
def list_versions():
    """政策文件的全部版本（组织方），新的在前"""
    rows = store.history()
    current_id = rows[0].id if rows else None
    return {"items": [version_dict(r, current_id) for r in rows]}


@bp.route("/catalogue/versions", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": PolicyVersionIn}}})
@bp.response(201, PolicyVersionOut)
@role_required("organiser")
def replace_catalogue():
    """更换政策文件（组织方）：校验通过后保存为新版本并立即生效；旧版本保留。文件有错时返回 422 和每一处问题"""
    data = json_body()
    content = data.get("content")
    if not isinstance(content, dict):
        raise DomainError("请在 content 中提交完整的政策文件。", fields={"content": "此项必填。"})
    note = data.get("note", "")
    if not isinstance(note, str):
        raise DomainError("更换说明应为文字。", fields={"note": "应为文字。"})
    row = store.replace(current_user, content, source_name="接口提交", note=note)
    return version_dict(row, row.id)


@bp.route("/catalogue/versions/<int:version_id>/revert", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": PolicyRevertIn}}})
@bp.response(201, PolicyVersionOut)
@role_required("organiser")
def revert_catalogue(version_id: int):
    """把一个旧版本恢复为现行（组织方）：保存为新的版本号，历史不改写"""
    data = json_body()
    note = data.get("note", "")
    if not isinstance(note, str):
        raise DomainError("说明应为文字。", fields={"note": "应为文字。"})
    row = store.revert(current_user, version_id, note)
    return version_dict(row, row.id)


class PolicyCheckIn(Schema):
    seeker_id = fields.Int(metadata={"description": "个案工作人员查询的求职者（仅组织方）"})
    hire_id = fields.Int(metadata={"description": "用人单位：只看这一名入职人员（就业登记编号）"})
    codes = fields.List(fields.Str(), metadata={"description": "只查这些政策（代码）"})


class PolicyConditionOut(Schema):
    text = fields.Str(metadata={"description": "条件"})
    state = fields.Str(metadata={"description": "met 符合 / unmet 不符合 / unknown 待确认"})
    why = fields.Str(metadata={"description": "依据平台的哪条记录；待确认时说明怎样可以确认"})


class PolicyCheckAmount(Schema):
    value = fields.Str(allow_none=True, metadata={"description": "按现有记录测算的金额（元）"})
    text = fields.Str(metadata={"description": "测算过程"})
    rule = fields.Str(metadata={"description": "补贴标准"})


class PolicySubjectOut(Schema):
    hire_id = fields.Int()
    subject = fields.Str(metadata={"description": "入职人员（姓名打码）"})
    eligible = fields.Bool(allow_none=True)
    conditions = fields.List(fields.Nested(PolicyConditionOut))
    amount = fields.Nested(PolicyCheckAmount)


class PolicyCheckItem(Schema):
    code = fields.Str()
    name = fields.Str()
    for_ = fields.Str(data_key="for")
    claim_by = fields.Str()
    eligible = fields.Bool(
        allow_none=True,
        metadata={"description": "true 每条都符合 / false 有条件不符合 / null 有条件待确认"},
    )
    conditions = fields.List(fields.Nested(PolicyConditionOut))
    amount = fields.Nested(PolicyCheckAmount)
    subject = fields.Str(allow_none=True, metadata={"description": "按哪名入职人员判断"})
    subjects = fields.List(
        fields.Nested(PolicySubjectOut), metadata={"description": "按人申请的政策：每名入职人员"}
    )


class PolicyCheckOut(Schema):
    subject = fields.Str(metadata={"description": "查询对象"})
    policies = fields.List(fields.Nested(PolicyCheckItem))


class PolicyProspectsOut(Schema):
    course = fields.List(
        fields.Nested(PolicyCheckItem), metadata={"description": "培训结业取得证书后可申请的"}
    )
    hire = fields.List(
        fields.Nested(PolicyCheckItem), metadata={"description": "被录用并参保后单位可申请的"}
    )


class PolicyHireProspectsQuery(Schema):
    position_id = fields.Int(metadata={"description": "本单位的岗位（必填）"})


def _rename_for(items: list[dict]) -> list[dict]:
    for item in items:
        item["for_"] = item.pop("for", None)
    return items


@bp.route("/check", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": PolicyCheckIn}}})
@bp.response(200, PolicyCheckOut)
@role_required("seeker", "employer", "organiser")
def check():
    """资格自查：求职者、用人单位查自己；个案工作人员（组织方）提供 seeker_id 查所负责区域的求职者。每项政策逐条给出符合 / 不符合 / 待确认及依据，只凭平台记录判断"""
    result = eligibility.check_for(current_user, json_body())
    _rename_for(result["policies"])
    return result


@bp.route("/prospects", methods=["GET"])
@bp.response(200, PolicyProspectsOut)
@role_required("seeker")
def prospects():
    """求职者：参加培训取得证书后、或被录用参保后可以享受的政策（本人身份只向本人显示）"""
    data = eligibility.seeker_prospects(current_user.id)
    return {"course": _rename_for(data["course"]), "hire": _rename_for(data["hire"])}


@bp.route("/hire-prospects", methods=["GET"])
@bp.arguments(PolicyHireProspectsQuery, location="query", as_kwargs=True)
@bp.response(200, PolicyCheckItem(many=True))
@role_required("employer")
def hire_prospects(position_id: int | None = None):
    """用人单位：通过这个岗位招用人员后可能申请的按人补贴（不涉及求职者个人身份）"""
    if position_id is None:
        raise DomainError("请指明岗位（position_id）。", fields={"position_id": "此项必填。"})
    position = get_own_position(current_user, position_id)
    employer = employer_of(current_user)
    return _rename_for(eligibility.hire_prospects(employer, position.channel))
