"""Recommendations in the product: the matching index service, 为你推荐, 推荐人才, 重点群体精准匹配."""

from flask import Blueprint

bp = Blueprint("recommendations", __name__)

from jobfair.recommendations import index, views  # noqa: E402,F401  (index registers listeners)
