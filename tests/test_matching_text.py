"""Text for matching: normalisation, pay phrases, numbers, caps (no app needed)."""

from jobfair.matching import text


def test_full_width_and_case_are_normalised():
    assert text.normalise("ＣＮＣ操作工　Ｊａｖａ") == "cnc操作工 java"
    tokens = text.segment_for_index("ＣＮＣ操作工，ＪＡＶＡ开发").split()
    assert "cnc操作工" in tokens and any(t.startswith("java") for t in tokens)
    assert text.segment_for_index("ＣＮＣ操作工") == text.segment_for_index("cnc操作工")


def test_pay_phrases_are_read_as_monthly_pay():
    assert text.parse_salary("8k-12k") == (8000, 12000)
    assert text.parse_salary("月入过万") == (10000, None)
    assert text.parse_salary("5000-8000元/月") == (5000, 8000)
    assert text.parse_salary("薪资6千-8千") == (6000, 8000)
    assert text.parse_salary("1.2万") == (12000, None)
    assert text.parse_salary("底薪3000+提成") == (3000, None)
    assert text.parse_salary("月薪6000以上") == (6000, None)
    assert text.parse_salary("18号厂房") == (None, None)
    assert text.parse_salary("") == (None, None)


def test_pay_and_bare_numbers_do_not_become_tokens():
    tokens = text.segment_for_index("招聘电焊工8k-12k包吃住，月入过万，18号厂房").split()
    assert "电焊工" in tokens and "厂房" in tokens
    assert not any(t.isdigit() or t in ("8k", "12k", "月入过万") for t in tokens)
    # Licence classes stay: they are skills.
    assert "c1驾照" in text.segment_for_index("持C1驾照").split()


def test_long_text_is_capped_and_says_so():
    long = "电焊" * 10_000
    capped, cut = text.cap_text(long)
    assert cut and len(capped) == text.MAX_TEXT_CHARS
    assert text.cap_text("电焊") == ("电焊", False)
    assert len(text.segment_for_index(long).split()) <= text.MAX_TEXT_CHARS


def test_mixed_chinese_english_emoji_and_blank():
    assert text.segment_for_index("") == ""
    assert text.segment_for_index("   \n\t") == ""
    assert text.segment_for_index("😀🎉👍") == ""
    tokens = text.segment_for_index("熟悉Python和SQL的数据分析师😀").split()
    assert {"python", "sql"} <= set(tokens)
    assert any("数据分析" in t for t in tokens)


def test_imported_markup_and_entities_are_not_words():
    assert text.normalise("<p>焊工&nbsp;</p>").split() == ["焊工"]
    assert text.normalise("焊工&amp;电工<br/>").split() == ["焊工&电工"]
    assert text.normalise("&lt;b&gt;焊工&lt;/b&gt;").split() == ["焊工"]
    assert text.normalise('<style>p{color:red}</style><div class="x">叉车司机</div>').split() == [
        "叉车司机"
    ]
    tokens = text.segment_for_index("<p>招聘焊工&nbsp;</p><ul><li>二保焊</li></ul>").split()
    assert "焊工" in tokens and "二保焊" in tokens
    assert not {"p", "nbsp", "li", "ul", "amp", "br"} & set(tokens)
    # Comparisons, ampersands and bracketed words in plain text are text.
    assert text.normalise("R&D 年龄<45岁") == "r&d 年龄<45岁"
    assert "cnc" in text.segment_query("急招<CNC>操机")


def test_traditional_characters_read_as_simplified():
    assert text.normalise("電焊工 叉車司機 會計 廚師") == "电焊工 叉车司机 会计 厨师"
    assert text.segment_query("叉車司機") == text.segment_query("叉车司机")
    # Characters simplified Chinese writes as well keep their meaning (著名, 俱乐部, 乾坤).
    assert text.normalise("著名俱乐部乾坤") == "著名俱乐部乾坤"


def test_catalogue_and_vocabulary_text_is_unchanged_by_simplification():
    """The table never touches a character the project's own Chinese data uses."""
    table = text._simplified()
    for path in (text.OCCUPATIONS_CSV, text.REGIONS_CSV, text.SYNONYMS_TXT, text.STOPWORDS_TXT):
        used = set(path.read_text(encoding="utf-8"))
        assert not {chr(c) for c in table} & used, path.name


def test_invisible_characters_and_spaced_out_words():
    assert text.normalise("焊\u200b工\ufeff") == "焊工"
    assert text.normalise("电 焊 工") == "电焊工"
    assert text.normalise("叉　车　司　机") == "叉车司机"  # ideographic spaces
    assert text.segment_query("保 安") == ["保安"]
    # Words of two or more characters keep their spaces.
    assert text.normalise("焊工 电工 急 招") == "焊工 电工 急招"


def test_everyday_misspellings_of_job_words_are_read_as_meant():
    assert text.normalise("急招电悍工") == "急招电焊工"
    assert text.segment_query("收营员") == ["收银员"]
    assert text.normalise("橱师 氩孤焊 服物员") == "厨师 氩弧焊 服务员"
    # Only whole misspelt words: 悍 in 强悍 is not a welder.
    assert "焊" not in text.normalise("工作强悍工作能力强")
