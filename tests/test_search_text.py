"""Chinese segmentation for search: user dictionary, stop words, synonyms, safe tokens (no app)."""

import ast
import re
from pathlib import Path

from jobfair.matching import text

SAFE = re.compile(r"^[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+$")


def test_trade_words_stay_whole():
    assert text.segment_query("叉车司机") == ["叉车司机"]
    assert text.segment_query("养老护理员") == ["养老护理员"]
    assert text.segment_query("二保焊 氩弧焊") == ["二保焊", "氩弧焊"]
    assert "cnc操作工" in text.segment_query("ＣＮＣ操作工")  # full-width, upper case


def test_index_keeps_sub_words_so_short_queries_match():
    tokens = text.segment_for_index("招聘叉车司机，持叉车证，养老护理员").split()
    for word in ("叉车", "司机", "叉车司机", "叉车证", "养老", "护理员", "养老护理员"):
        assert word in tokens


def test_stop_words_and_punctuation_are_dropped():
    tokens = text.segment_for_index("急招！高薪普工，五险一金，包吃住。").split()
    assert "急招" not in tokens and "高薪" not in tokens
    assert "普工" in tokens
    assert all(SAFE.match(t) for t in tokens)
    assert text.segment_query("招聘 的 岗位") == []


def test_query_tokens_never_carry_syntax():
    hostile = "\"' OR 1=1; DROP TABLE positions; -- % _ \\ \x00 （）＊ NEAR(a b) ^焊工*"
    tokens = text.segment_query(hostile)
    assert tokens and all(SAFE.match(t) for t in tokens)
    for term in text.expand_terms([*tokens, 'a"b', "x y", ""]):
        for alternative in term:
            assert all(SAFE.match(t) for t in alternative)


def test_synonyms_widen_each_token():
    (term,) = text.expand_terms(["电焊"])
    flat = {t for alt in term for t in alt}
    assert {"电焊", "焊工", "焊接"} <= flat
    (term,) = text.expand_terms(["叉车司机"])
    assert ("叉车", "司机") in term  # sub-words of the compound, all required
    (term,) = text.expand_terms(["养老护理"])
    assert ("护工",) in term and ("养老护理员",) in term
    (term,) = text.expand_terms(["渔业"])
    assert ("捕捞",) in term and ("养殖",) not in term  # 养殖 alone would bring pig farms
    assert ("渔民",) not in term  # "欢迎退捕渔民" welcomes a group; it is not fishery work


def test_every_synonym_group_member_is_a_safe_token():
    for token, alternatives in text.synonym_map().items():
        assert SAFE.match(token)
        for alt in alternatives:
            assert alt and all(SAFE.match(t) for t in alt)


def test_no_flask_or_sqlalchemy_in_the_text_module():
    tree = ast.parse(Path(text.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    assert not names & {"flask", "sqlalchemy", "flask_sqlalchemy", "jobfair"}
