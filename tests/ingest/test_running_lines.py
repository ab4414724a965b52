"""Running headers and footers (页眉, 页脚) of a PDF are dropped, and only they (``pdf._drop_running_lines``).

All text is written for the tests.
"""

from __future__ import annotations

from checker.ingest import pdf

HEIGHT = 842.0


def _line(text: str, top: float) -> pdf._Line:
    return pdf._Line(text, 72.0, 300.0, top, top + 12, 1)


def _pages(*lines_per_page: list[pdf._Line]) -> list[pdf._PageContent]:
    return [pdf._PageContent(n, list(lines), 100, 0, HEIGHT) for n, lines in enumerate(lines_per_page, start=1)]


BODY = [_line("本机关依法主动公开政府信息。", 300.0)]


def _texts(pages: list[pdf._PageContent]) -> list[list[str]]:
    return [[item.text for item in page.items if isinstance(item, pdf._Line)] for page in pages]


def test_a_header_and_a_footer_on_every_page_are_dropped() -> None:
    pages = _pages(*([_line("测试县人民政府", 40.0), *BODY, _line("测试县人民政府发布 第 页", 790.0 + k)] for k in range(3)))
    pdf._drop_running_lines(pages)
    assert _texts(pages) == [["本机关依法主动公开政府信息。"]] * 3


def test_a_header_left_off_the_first_page_is_dropped() -> None:
    pages = _pages(list(BODY), *([_line("测试县人民政府2024年政府信息公开工作年度报告", 40.0), *BODY] for _ in range(3)))
    pdf._drop_running_lines(pages)
    assert _texts(pages) == [["本机关依法主动公开政府信息。"]] * 4


def test_a_title_line_and_a_signature_alike_by_chance_stay() -> None:
    """The first line of the title on page 1 and the signature at the top of the last page: same text, same height."""
    pages = _pages([_line("测试县人民政府", 60.0), *BODY], list(BODY), list(BODY), [_line("测试县人民政府", 60.0), *BODY])
    pdf._drop_running_lines(pages)
    assert _texts(pages)[0][0] == "测试县人民政府" and _texts(pages)[3][0] == "测试县人民政府"


def test_lines_at_other_heights_or_in_the_body_stay() -> None:
    pages = _pages(*([_line("测试县人民政府", 40.0 + 20 * k), _line("无。", 400.0)] for k in range(3)))
    pdf._drop_running_lines(pages)
    assert all(len(page.items) == 2 for page in pages)
