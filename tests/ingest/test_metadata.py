"""Metadata read as printed: year, statistics period, publication date, agency name, kind and level.

Generated forms first (every report text here is written by these tests), then the shared corpus,
checked against what a careful reader of each file sees (``../shared/corpus/README.md``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.errors import InputError
from checker.ingest import parse_document, read_document
from checker.ingest.agency import classify_agency
from checker.ingest.assemble import assemble
from checker.ingest.metadata import numerals
from checker.ingest.text import read_text

CN_DIGITS = "〇一二三四五六七八九"
OVERVIEW = "（一）主动公开情况。本机关按要求公开政府信息，做到应公开尽公开。"
PROBLEMS = "人员力量不足，下一步将加强培训。"


def _report(*, head: tuple[str, ...] = (), preamble: str = "", overview: str = OVERVIEW,
            tail: tuple[str, ...] = ()) -> str:
    lines = [*head, preamble, "一、总体情况", overview, "五、存在的主要问题及改进情况", PROBLEMS, *tail]
    return "\n".join(line for line in lines if line) + "\n"


def _read(text: str, **kwargs: object) -> dict:
    return parse_document(text.encode("utf-8"), "report.txt", **kwargs)  # type: ignore[arg-type]


def _cn_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def _notices(document: dict, code: str = "year-inferred") -> list[dict]:
    return [n for n in (document.get("reading") or {}).get("notices", []) if n["code"] == code]


PERIOD_2022 = "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"


# --------------------------------------------------------------------------- year


@pytest.mark.parametrize("title, year", [
    ("测试县人民政府2023年政府信息公开工作年度报告", 2023),
    ("测试县人民政府2023年度政府信息公开工作年度报告", 2023),
    (f"测试县人民政府{_cn_year(2021)}年政府信息公开工作年度报告", 2021),
    ("【2019】测试县人民政府2019年政府信息公开工作年度报告", 2019),
    ("2024年测试市政府信息公开工作年度报告", 2024),
])
def test_year_from_the_title(title: str, year: int) -> None:
    document = _read(_report(head=(title,), preamble=PERIOD_2022))
    assert document["year"] == year
    assert not _notices(document)


def test_title_year_is_the_report_year_and_the_period_stays_as_printed() -> None:
    document = _read(_report(head=("测试县人民政府2023年政府信息公开工作年度报告",), preamble=PERIOD_2022))
    assert document["year"] == 2023
    assert (document["period"]["start"], document["period"]["end"]) == ("2022-01-01", "2022-12-31")


def test_year_from_the_period_without_title() -> None:
    document = _read(_report(preamble=PERIOD_2022))
    assert document["year"] == 2022
    assert not _notices(document)


@pytest.mark.parametrize("sentence", [
    "根据有关规定，现将测试县人民政府2022年政府信息公开工作年度报告予以公开。",
    "现公布《测试县2022年度政府信息公开工作年度报告》。",
    "根据有关规定，现公布我局2022年政府信息公开工作年度报告。",
])
def test_year_from_the_report_named_in_the_preamble(sentence: str) -> None:
    document = _read(_report(preamble=sentence))
    assert document["year"] == 2022
    assert not _notices(document)


def test_a_notice_about_compiling_the_report_is_not_the_report() -> None:
    preamble = "根据《测试省政务公开办公室关于做好2019年政府信息公开工作年度报告编制工作的通知》要求编制本报告。"
    document = _read(_report(preamble=preamble, overview="2020年，我局持续推进公开工作。全年公开信息12条。"))
    assert document["year"] == 2020
    assert _notices(document)[0]["values"]["year"] == 2020


@pytest.mark.parametrize("year", [2019, 2022, 2024])
def test_year_inferred_from_the_opening_of_the_narrative(year: int) -> None:
    overview = f"{year}年，我局共主动公开政府信息120条，均在规定时限内完成。"
    document = _read(_report(overview=overview))
    assert document["year"] == year
    [notice] = _notices(document)
    assert notice["target"] == "/year"
    assert notice["values"]["year"] == year
    evidence = notice["values"]["evidence"]
    assert f"{year}年" in evidence and len(evidence) <= 40
    assert notice["location"]["line"] == 2  # the overview paragraph, under 一、总体情况


def test_inferred_year_is_the_most_frequent_one_and_ignores_document_names() -> None:
    overview = ("2021年以来，我局持续深化公开。2022年，我局公开发布《测试局2021年政府信息公开工作年度报告》，"
                "并按照《测试条例》（2019年修订）开展工作。2022年共受理申请3件。")
    document = _read(_report(overview=overview))
    assert document["year"] == 2022


def test_last_years_report_mentioned_in_the_narrative_is_not_this_report() -> None:
    overview = "2022年，我局按时发布2021年政府信息公开工作年度报告，全年公开信息30条。2022年共受理申请2件。"
    document = _read(_report(overview=overview))
    assert document["year"] == 2022
    assert _notices(document)


def test_dates_of_laws_and_document_names_are_not_a_year() -> None:
    overview = "我局认真贯彻2019年5月15日起施行的《条例》，公开发布《测试局2021年工作要点》。"
    with pytest.raises(InputError, match="--year"):
        _read(_report(overview=overview))


def test_no_year_anywhere_asks_for_year_and_the_override_adds_no_notice() -> None:
    text = _report(preamble="根据有关规定编制本报告。")
    with pytest.raises(InputError, match="--year") as raised:
        _read(text)
    assert "年度" in str(raised.value)
    assert _read(text, year=2023)["year"] == 2023
    narrative = _report(overview="2024年，我局共公开政府信息8条。")
    assert not _notices(_read(narrative, year=2024))


@settings(max_examples=40, deadline=None)
@given(year=st.integers(2010, 2025), subject=st.sampled_from(["我局", "我办", "本机关", "我委"]),
       verb=st.sampled_from(["共主动公开信息", "认真落实公开要求，公开信息", "累计发布信息"]),
       count=st.integers(1, 999), other=st.integers(2008, 2025))
def test_inferred_year_property(year: int, subject: str, verb: str, count: int, other: int) -> None:
    overview = f"{year}年，{subject}{verb}{count}条。同时公开发布《{other}年工作要点》。{year}年共受理申请{count % 7}件。"
    document = _read(_report(overview=overview))
    assert document["year"] == year


# --------------------------------------------------------------------------- statistics period


@pytest.mark.parametrize("sentence, start, end", [
    ("本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。", "2021-01-01", "2021-12-31"),
    ("本报告所列统计数据的期限自2021年1月1日起至2021年12月31日止。", "2021-01-01", "2021-12-31"),
    ("报告中所列数据统计期限为2021年1月1日至2021年12月31日。", "2021-01-01", "2021-12-31"),
    ("数据统计期限自2021年1月1日至12月31日止。", "2021-01-01", "2021-12-31"),
    ("本报告数据统计期限自2021年1月1日起,至2021年12月31日止.", "2021-01-01", "2021-12-31"),
    ("本报告统计期限为 2021 年 1 月 1 日至 2021 年 12 月 31 日。", "2021-01-01", "2021-12-31"),
    (f"本报告统计期限为{_cn_year(2021)}年一月一日至十二月三十一日。", "2021-01-01", "2021-12-31"),
    (f"统计期限自{_cn_year(2021)}年一月一日起至{_cn_year(2021)}年十二月三十一日止。", "2021-01-01", "2021-12-31"),
    ("本报告统计时限：2021-01-01至2021-12-31。", "2021-01-01", "2021-12-31"),
    ("报告中所列数据统计期为2021年1月1日至2021年12月31日。", "2021-01-01", "2021-12-31"),
    ("本报告所列数据的统计期限自2021年1月1日起至2020年12月31日止。", "2021-01-01", "2020-12-31"),
])
def test_period_forms(sentence: str, start: str, end: str) -> None:
    document = _read(_report(preamble=sentence))
    assert document["period"]["start"] == start
    assert document["period"]["end"] == end
    assert document["period"]["text"]
    assert document["source_map"]["/period"]["line"] == 1


@pytest.mark.parametrize("sentence, start, end", [
    ("本报告所列数据自2021年1月1日起，至2021年12月31日止。", "2021-01-01", "2021-12-31"),
    ("本报告涵盖了测试镇2021年1月1日至12月31日期间的政府信息公开工作情况。", "2021-01-01", "2021-12-31"),
])
def test_period_span_without_a_period_word(sentence: str, start: str, end: str) -> None:
    document = _read(_report(preamble=sentence))
    assert (document["period"]["start"], document["period"]["end"]) == (start, end)
    assert document["period"]["text"] == sentence


def test_a_span_word_without_dates_is_no_period() -> None:
    document = _read(_report(head=("测试镇2021年政府信息公开工作年度报告",), preamble="本报告所列数据均来自本机关工作台账。"))
    assert "period" not in document


@pytest.mark.parametrize("sentence", [
    "本报告中所列数据的统计期限自202111日起至20211230日止。",
    "本报告所列数据的统计期限自2021年2月30日起至2021年13月31日止。",
])
def test_garbled_period_keeps_the_text_without_dates(sentence: str) -> None:
    document = _read(_report(head=("测试镇2021年政府信息公开工作年度报告",), preamble=sentence))
    assert document["period"] == {"text": sentence, "start": None, "end": None}
    assert document["year"] == 2021


@settings(max_examples=200, deadline=None)
@given(noise=st.text(alphabet="0123456789年月日至起止自-./,， 一二十〇", max_size=40))
def test_any_period_sentence_reads_without_crashing(noise: str) -> None:
    sentence = f"本报告所列数据的统计期限{noise}。"
    document = _read(_report(head=("测试镇2021年政府信息公开工作年度报告",), preamble=sentence))
    period = document["period"]
    assert period["text"]
    for key in ("start", "end"):
        assert period[key] is None or (len(period[key]) == 10 and period[key][4] == "-")


def test_numerals_converts_month_and_day_without_year() -> None:
    assert numerals("二〇二一年一月一日至十二月三十一日") == "2021年1月1日至12月31日"
    assert numerals("二○二二年十月二十日") == "2022年10月20日"
    assert numerals("第十二条") == "第十二条"
    assert numerals("统一月度考核") == "统一月度考核"


# --------------------------------------------------------------------------- publication date

TITLE = "测试县人民政府2021年政府信息公开工作年度报告"


@pytest.mark.parametrize("line, expected", [
    ("发布日期：2022-01-31", "2022-01-31"),
    ("发布时间: 2022-01-20 08:37", "2022-01-20"),
    ("发布时间:2022年01月29日", "2022-01-29"),
    ("发布时间：2022/1/9 10:00:00", "2022-01-09"),
    ("来源：测试县人民政府 时间：2022-02-08 16:34 【打印】", "2022-02-08"),
    ("日期:2022-03-15 15:32 来源: 【字体:大 中 小】", "2022-03-15"),
    ("来源:县政府办 发布时间:2022-01-30 阅读次数: 0", "2022-01-30"),
    ("[ 2022-01-18 ]", "2022-01-18"),
    ("2022-02-09 发布:测试县人民政府办公室 点击数:", "2022-02-09"),
    ("更新时间:2022/01/18", "2022-01-18"),
])
def test_published_in_the_header(line: str, expected: str) -> None:
    document = _read(_report(head=(TITLE, line), preamble=PERIOD_2022.replace("2022", "2021")))
    assert document["published"] == expected
    assert document["source_map"]["/published"]["line"] == 2


@pytest.mark.parametrize("signature, expected", [
    ("2022年1月20日", "2022-01-20"),
    (f"{_cn_year(2022)}年一月二十日", "2022-01-20"),
    ("（2022年1月20日）", "2022-01-20"),
])
def test_published_from_the_signature(signature: str, expected: str) -> None:
    text = _report(head=(TITLE,), tail=("测试县人民政府", signature))
    document = _read(text)
    assert document["published"] == expected
    assert document["source_map"]["/published"]["line"] == len(text.splitlines())


def test_publication_label_wins_over_signature_and_signature_over_update_time() -> None:
    labelled = _read(_report(head=(TITLE, "发布时间：2022-02-01 09:00"), tail=("测试县人民政府", "2022年1月20日")))
    assert labelled["published"] == "2022-02-01"
    updated = _read(_report(head=(TITLE, "更新时间：2022-03-01"), tail=("测试县人民政府", "2022年1月20日")))
    assert updated["published"] == "2022-01-20"


def test_container_date_ranks_between_label_and_signature() -> None:
    def with_hint(head: tuple[str, ...]) -> dict:
        layout = read_text(_report(head=head, tail=("测试县人民政府", "2022年1月20日")).encode("utf-8"))
        layout.hints["published"] = "2022-01-25"
        return assemble(layout, source_name="report.html")

    assert with_hint((TITLE,))["published"] == "2022-01-25"
    assert with_hint((TITLE, "发布日期：2022-01-28"))["published"] == "2022-01-28"


@pytest.mark.parametrize("line", [
    "办公时间：2022-01-05",
    "受理时间：2022年1月5日至2022年1月8日",
    "我局于2022年1月5日召开专题会议，时间安排紧凑。",
])
def test_other_dates_are_not_the_publication_date(line: str) -> None:
    document = _read(_report(head=(TITLE,), preamble=line))
    assert "published" not in document


# --------------------------------------------------------------------------- agency


@pytest.mark.parametrize("name, kind, level", [
    ("保康县人民政府", "government", "county"),
    ("杭州市人民政府", "government", "prefectural"),
    ("浙江省人民政府", "government", "provincial"),
    ("余杭区人民政府", "government", "county"),
    ("福州市公安局鼓楼分局", "department", "county"),
    ("北京市公安局海淀分局", "department", "county"),
    ("中华人民共和国教育部", "department", "national"),
    ("教育部", "department", "national"),
    ("自然资源部", "department", "national"),
    ("国家统计局", "department", "national"),
    ("国家药品监督管理局", "department", "national"),
    ("海关总署", "department", "national"),
    ("国务院国有资产监督管理委员会", "department", "national"),
    ("国务院扶贫开发领导小组办公室", "department", "national"),
    ("国务院办公厅", "office", "national"),
    ("福州市鼓楼区鼓东街道办事处", "subdistrict", "township"),
    ("温泉街道", "subdistrict", "township"),
    ("平潭综合实验区", "government", "prefectural"),
    ("平潭综合实验区管委会", "government", "prefectural"),
    ("湛江经济技术开发区管理委员会", "government", "county"),
    ("成都高新区管委会", "government", "county"),
    ("湛江经济技术开发区财政局", "department", "county"),
    ("杭州市人民政府办公厅", "office", "prefectural"),
    ("义乌市人民政府办公室", "office", "county"),
    ("区政府办公室", "office", "county"),
    ("广东省教育厅", "department", "provincial"),
    ("浙江省发展和改革委员会", "department", "provincial"),
    ("上海市科学技术委员会", "department", "provincial"),
    ("浙江省人民政府外事办公室", "department", "provincial"),
    ("义乌市应急管理局", "department", "county"),
    ("某某镇人民政府", "government", "township"),
    ("测试县人民政府机关", "government", "county"),
])
def test_kind_and_level_from_the_name(name: str, kind: str, level: str) -> None:
    info = classify_agency(name)
    assert (info.kind, info.level) == (kind, level)


def test_a_name_that_does_not_tell_its_level_gets_none() -> None:
    assert classify_agency("水务局") == classify_agency("水务局")
    info = classify_agency("水务局")
    assert info.kind == "department" and info.level is None


@pytest.mark.parametrize("head, name", [
    (("【2021】保康县人民政府2021年政府信息公开工作年度报告",), "保康县人民政府"),
    (("[2021]保康县人民政府2021年政府信息公开工作年度报告",), "保康县人民政府"),
    (("标题: 保康县人民政府2021年度政府信息公开工作年度报告", "发布时间: 2022-01-10 10:00"), "保康县人民政府"),
    (("保康县人民政府", "2021年政府信息公开工作年度报告"), "保康县人民政府"),
    (("保康县人民政府2021年政府信息公开工作年度报告-保康县人民政府门户网站",), "保康县人民政府"),
    (("首页 > 政务公开 > 政府信息公开年报", "保康县人民政府2021年政府信息公开工作年度报告"), "保康县人民政府"),
    (("2021年保康县人民政府信息公开工作年度报告",), "保康县人民政府"),
])
def test_agency_name_as_printed_in_the_title(head: tuple[str, ...], name: str) -> None:
    document = _read(_report(head=head, preamble=PERIOD_2022.replace("2022", "2021")))
    assert document["agency"]["name"] == name
    assert document["agency"]["kind"] == "government"
    assert document["agency"]["level"] == "county"
    assert document["year"] == 2021


@pytest.mark.parametrize("title, rest", [
    ("2021年保康县人民政府政府信息公开工作年度报告", "本报告根据《中华人民共和国政府信息公开条例》要求编制。"),
    ("保康县人民政府2021年政府信息公开工作年度报告", "根据《条例》规定，现公布本机关年度报告。本报告所列数据的统计期限为2021年。"),
])
def test_a_title_run_together_with_the_preamble(title: str, rest: str) -> None:
    """A PDF whose title is set in the body's size and as wide as the text: its line reads as the first
    line of the preamble (``……工作年度报告本报告根据……``). The title and the preamble are told apart."""
    document = _read(_report(preamble=title + rest))
    assert document["title"] == title
    assert document["agency"]["name"] == "保康县人民政府"
    assert document["preamble"] == rest
    assert document["year"] == 2021


def test_a_first_sentence_ending_in_a_report_name_is_not_a_title() -> None:
    """Text before 年度报告 with a comma or colon in it is a sentence, not a title."""
    document = _read(_report(preamble="根据《条例》，特编制保康县人民政府2021年政府信息公开工作年度报告。现予公布。"))
    assert "title" not in document or document["title"] != "根据《条例》，特编制保康县人民政府2021年政府信息公开工作年度报告"


def test_the_report_title_wins_over_a_cover_letter() -> None:
    head = ("测试省教育厅关于报送2021年政府信息公开工作年度报告的函", "省政府办公厅：", "现报送我厅年度报告。",
            "测试省教育厅", "2022年1月20日", "浙江省教育厅2021年政府信息公开工作年度报告")
    document = _read(_report(head=head))
    assert document["title"] == "浙江省教育厅2021年政府信息公开工作年度报告"
    assert document["agency"]["name"] == "浙江省教育厅"


@pytest.mark.parametrize("preamble, overview, name, kind, level", [
    ("根据有关规定，现将义乌市人民政府2022年政府信息公开工作年度报告予以公开。", OVERVIEW, "义乌市人民政府", "government", "county"),
    ("根据有关规定，特编制杭州市人民政府地方志办公室2022年政府信息公开工作年度报告。", OVERVIEW,
     "杭州市人民政府地方志办公室", "department", "prefectural"),
    ("本报告汇总2022年度某某镇人民政府的政务公开年度报告编制而成。", OVERVIEW, "某某镇人民政府", "government", "township"),
    (PERIOD_2022, "2022年，杭州市统计局坚持以人民为中心，扎实推进政府信息公开工作。", "杭州市统计局", "department",
     "prefectural"),
    (PERIOD_2022, "2022年，国家统计局认真落实公开要求。", "国家统计局", "department", "national"),
    (PERIOD_2022, "2022年，福建省将乐县人民政府坚持依法公开。", "福建省将乐县人民政府", "government", "county"),
    (PERIOD_2022, "2022年，温泉街道办事处按照上级要求推进公开。", "温泉街道办事处", "subdistrict", "township"),
])
def test_agency_name_from_the_text_when_there_is_no_title(preamble: str, overview: str, name: str, kind: str,
                                                          level: str) -> None:
    document = _read(_report(preamble=preamble, overview=overview))
    assert (document["agency"]["name"], document["agency"]["kind"], document["agency"]["level"]) == (name, kind, level)


@pytest.mark.parametrize("overview", [
    "2022年，我局认真落实公开要求。",
    "2022年，我县坚持以人民为中心。",
    "2022年全年，街道围绕中心工作推进公开。",
])
def test_pronouns_are_not_a_name(overview: str) -> None:
    document = _read(_report(preamble=PERIOD_2022, overview=overview))
    assert document["agency"] == {"name": "（未识别的机关）"}


def test_one_line_report_title_and_name() -> None:
    line = ("测试省工业和信息化厅\u3000\u30002020年政府信息公开工作年度报告\u3000\u30002020年，测试省工业和信息化厅坚持"
            "依法公开。本年度报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。\u3000\u3000一、总体情况"
            "\u3000\u3000（一）主动公开。全年公开信息100条。" + "持续推进公开工作。" * 30)
    document = _read(line + "\n")
    assert document["title"] == "测试省工业和信息化厅2020年政府信息公开工作年度报告"
    assert document["agency"]["name"] == "测试省工业和信息化厅"
    assert document["agency"]["level"] == "provincial"
    assert document["year"] == 2020


# --------------------------------------------------------------------------- corpus

# What a careful reader sees in each corpus text (../shared/corpus/README.md): the agency name as
# printed (None where the excerpt does not print one), its kind and level, the year, whether the
# year had to be taken from the narrative, and the publication date where the page prints one.
CORPUS_EXPECTED: dict[str, tuple[str | None, str | None, str | None, int, bool, str | None]] = {
    "002": ("淮安市人民政府", "government", "prefectural", 2024, False, None),
    "003": ("沐阳县人民政府", "government", "county", 2025, False, "2026-01-23"),
    "004": ("上海市科委", "department", "provincial", 2024, False, None),
    "007": ("道里区经纬街道办事处", "subdistrict", "township", 2022, False, None),
    "009": ("长安区砲里街道", "subdistrict", "township", 2022, False, None),
    "011": ("春城街道办事处", "subdistrict", "township", 2022, False, None),
    "013": (None, None, None, 2022, False, None),
    "015": ("周湾镇", "government", "township", 2021, False, None),
    "017": ("大东坝镇人民政府", "government", "township", 2021, False, None),
    "019": ("沙塘镇人民政府", "government", "township", 2021, False, None),
    "021": ("大英县", "government", "county", 2020, False, None),
    "023": ("城口县人民政府机关", "government", "county", 2020, False, None),
    "025": ("卓尼县人民政府", "government", "county", 2020, False, "2021-02-09"),
    "027": ("湖口县大垅乡", "government", "township", 2020, False, None),
    "029": ("上海市", "government", "provincial", 2022, False, None),
    "031": (None, None, None, 2022, False, None),
    "033": ("国家新闻出版署", "department", "national", 2022, True, None),
    "035": ("山西省人民政府外事办公室", "department", "provincial", 2021, False, None),
    "037": (None, None, None, 2024, True, None),
    "039": (None, None, None, 2024, False, None),
    "041": ("富县人民政府", "government", "county", 2024, False, None),
    "043": ("潼关县人民政府", "government", "county", 2024, False, None),
    "047": ("广州市人民政府办公厅", "office", "prefectural", 2023, False, None),
    "049": ("湛江市人民政府地方志办公室", "department", "prefectural", 2023, False, None),
    "053": (None, None, None, 2024, True, None),
    "055": ("湛江市文化广电旅游体育局", "department", "prefectural", 2025, False, "2026-01-21"),
    "057": ("遂溪县人民政府", "government", "county", 2023, False, None),
    "058": ("洪泽区人民政府", "government", "county", 2023, False, None),
    "061": ("广东省生态环境厅", "department", "provincial", 2020, False, "2021-01-26"),
    "063": ("黔东南州生态环境局", "department", "prefectural", 2020, False, None),
    "065": ("水务局", "department", None, 2020, False, None),
    "067": ("泸州市水务局", "department", "prefectural", 2021, False, None),
    "069": ("厦门市统计局", "department", "prefectural", 2023, False, None),
    "071": ("西山区", "government", "county", 2025, False, None),
    "073": ("荣成市人民政府办公室", "office", "county", 2025, False, "2026-01-23"),
    "075": ("区政府办公室", "office", "county", 2025, False, None),
    "077": ("攀枝花市交通运输局", "department", "prefectural", 2019, False, "2020-01-30"),
    "079": (None, None, None, 2019, True, None),
    "081": ("黑龙江省林业和草原局", "department", "provincial", 2019, False, "2020-09-15"),
    "083": ("麟游县林业局", "department", "county", 2019, False, "2020-12-17"),
    "101": ("平潭综合实验区", "government", "prefectural", 2021, False, "2022-02-08"),
    "106": ("河北省教育厅", "department", "provincial", 2021, False, "2022-01-20"),
    "112": ("河北省工业和信息化厅", "department", "provincial", 2020, False, None),
    "113": ("河北省工业和信息化厅", "department", "provincial", 2021, False, None),
    "117": ("平潭综合实验区", "government", "prefectural", 2019, False, "2020-01-20"),
    "xiangxiang-emergency-2024": ("湘乡市应急管理局", "department", "county", 2024, False, None),
}
NO_YEAR = {"045"}


def test_every_corpus_text_has_an_expectation(corpus_dir: Path) -> None:
    assert {p.stem for p in (corpus_dir / "text").glob("*.txt")} == set(CORPUS_EXPECTED) | NO_YEAR


@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_corpus_metadata_as_a_careful_reader_sees_it(name: str, corpus_dir: Path) -> None:
    agency, kind, level, year, inferred, published = CORPUS_EXPECTED[name]
    document = read_document(corpus_dir / "text" / f"{name}.txt")
    assert document["agency"]["name"] == (agency or "（未识别的机关）")
    assert document["agency"].get("kind") == kind
    assert document["agency"].get("level") == level
    assert document["year"] == year
    assert bool(_notices(document)) == inferred
    assert document.get("published") == published
    if published:
        assert document["source_map"]["/published"]["line"]


@pytest.mark.parametrize("name", sorted(NO_YEAR))
def test_corpus_text_without_a_year_still_needs_year(name: str, corpus_dir: Path) -> None:
    with pytest.raises(InputError, match="--year"):
        read_document(corpus_dir / "text" / f"{name}.txt")
    document = read_document(corpus_dir / "text" / f"{name}.txt", year=2023)
    assert document["year"] == 2023 and not _notices(document)
