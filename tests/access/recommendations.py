"""Access matrix entries of the recommendations feature (为你推荐, 推荐人才, 重点群体精准匹配)."""

OK, LOGIN = "ok", "login"

ENTRIES = {
    ("recommendations.talent", "GET"): (LOGIN, 403, 404, 403),
    ("recommendations.priority", "GET"): (LOGIN, 403, 403, OK),
    ("recommendations.push", "POST"): (LOGIN, 403, 403, OK),
    ("api_matching.recommendations", "GET"): (LOGIN, OK, 403, 403),
    ("api_matching.talent", "GET"): (LOGIN, 403, 404, 403),
    ("api_matching.priority", "GET"): (LOGIN, 403, 403, OK),
    ("api_matching.push", "POST"): (LOGIN, 403, 403, OK),
    ("api_matching.suggest_occupations", "GET"): (OK, OK, OK, OK),
}
