"""Recommendations in the product: the matching index service, 为你推荐, 推荐人才, 重点群体精准匹配."""
