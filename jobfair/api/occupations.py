"""API: occupation lookup (2022 national classification), public."""

from marshmallow import Schema, fields

from jobfair import occupations
from jobfair.api.registry import api_blueprint
from jobfair.validation import Int, Text

bp = api_blueprint("api_occupations", "/occupations", "职业分类查询")


class OccupationQuery(Schema):
    q = Text(max_len=50, metadata={"description": "职业名称或常用叫法的一部分，如“焊”“叉车”"})
    limit = Int(min_value=1, max_value=occupations.MAX_LIMIT, load_default=10)


class OccupationSuggestion(Schema):
    code = fields.Str(metadata={"description": "职业编码，如 6-18-02-04"})
    name = fields.Str(metadata={"description": "职业名称（不含分类标识字母）"})
    marks = fields.List(
        fields.Str(), metadata={"description": "职业标识：green 绿色职业 / digital 数字职业"}
    )
    major_name = fields.Str(metadata={"description": "所属大类"})


@bp.route("", methods=["GET"])
@bp.arguments(OccupationQuery, location="query", as_kwargs=True)
@bp.response(200, OccupationSuggestion(many=True))
def lookup(q: str = "", limit: int = 10):
    """按名称或常用叫法查找职业（细类），最匹配的在前：名称相同、常用叫法（如“电焊”找到焊工）、名称开头、名称包含、别名包含"""
    return occupations.search(q, limit)
