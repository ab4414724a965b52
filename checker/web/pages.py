"""The pages of ``gkcheck serve``: upload, result, and messages (errors), all in Chinese.

Markup is built only from constants and values passed through :func:`esc`. The result page
shows the HTML report of ``checker.render.html`` itself (its body and style), under a bar with
the downloads: the downloads travel inside the page (``data:`` addresses that the page's
script turns into ``blob:`` ones), so that nothing of the officer's file is kept on the server
after the answer is sent.
"""

from __future__ import annotations

import base64
import re
from pathlib import PurePath

from checker import __version__, limits
from checker.formats import KINDS, LEVELS
from checker.messages import term
from checker.render.html import esc
from checker.web.service import Checked
from checker.web.upload import too_large_message

ACCEPT = ".docx,.doc,.wps,.rtf,.pdf,.html,.htm,.txt,.md,.json"
APP_NAME = "政府信息公开工作年度报告 合规检查"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(title: str, body: str, *, css: str = "", body_class: str = "") -> str:
    style = f"<style>{css}</style>" if css else ""
    cls = f' class="{esc(body_class)}"' if body_class else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        '<link rel="stylesheet" href="/static/page.css">\n'
        f"{style}\n"
        '<script src="/static/app.js" defer></script>\n'
        f"</head>\n<body{cls}>\n{body}\n</body>\n</html>\n"
    )


def _brand() -> str:
    return f'<a class="gk-brand" href="/">gkcheck <span>{esc(APP_NAME)}</span></a>'


def upload_page(*, error_title: str = "", error: str = "", status: int = 200) -> str:
    """The start page: drop or pick a report; optional facts the file may not state. With ``error``, the
    message of the last try stands above the drop zone, so that the next file can be dropped at once."""
    limit = limits.INPUT_MB.value()
    kinds = "".join(f'<option value="{esc(k)}">{esc(term("kind", k, "zh"))}</option>' for k in KINDS)
    levels = "".join(f'<option value="{esc(k)}">{esc(term("level", k, "zh"))}</option>' for k in LEVELS)
    too_large = too_large_message("{size}", "{name}")
    problem = (f'<div class="gk-message gk-error" role="alert" id="gk-server-error" data-status="{status}">'
               f'<h2>{esc(error_title)}</h2><p class="gk-error-text">{esc(error)}</p>'
               '<p class="gk-error-next">请处理后重新选择文件，或换一个文件检查。</p></div>') if error else ""
    heading = "检查一份年度报告" if not error else "再试一次"
    body = f"""<header class="gk-bar">{_brand()}</header>
<main class="gk-main">
<h1>{heading}</h1>
{problem}<p class="gk-lead">选择或拖入报告文件，几秒钟后即可看到得分、问题清单（每个问题都有依据和修改建议）和标出问题的表格。
Word 文件还可以下载一份<strong>带批注的副本</strong>：每个问题以批注标在原文相应位置。</p>
<form id="gk-form" class="gk-form" method="post" action="/check" enctype="multipart/form-data"
 data-limit="{limits.INPUT_MB.bytes()}" data-too-large="{esc(too_large)}">
<details class="gk-more">
<summary>补充信息（可选：文件中没有写明，或读错了时填写）</summary>
<div class="gk-fields">
<label>报告年度 <input type="number" name="year" min="2008" max="2100" placeholder="如 2024"></label>
<label>发布日期 <input type="date" name="published"></label>
<label>机关类型 <select name="agency_kind"><option value="">按报告内容判断</option>{kinds}</select></label>
<label>机关层级 <select name="agency_level"><option value="">按报告内容判断</option>{levels}</select></label>
</div>
<p class="gk-note">先填写，再选择文件。填写的内容优先于报告中的记载。</p>
</details>
<input id="gk-file" class="gk-file" type="file" name="file" accept="{ACCEPT}" required>
<label class="gk-drop" id="gk-drop" for="gk-file">
<span class="gk-drop-title">把报告文件拖到这里</span>
<span class="gk-drop-or">或者</span>
<span class="gk-button">选择文件…</span>
<span class="gk-drop-note">支持 Word（.docx）、PDF、网页（.html）、文本（.txt .md）和 JSON，不超过\u00a0{limit}\u00a0MB。
选择文件后自动开始检查。</span>
</label>
<p class="gk-message gk-error" id="gk-client-error" role="alert" hidden></p>
<p class="gk-submit"><button type="submit" class="gk-button gk-primary" id="gk-start">开始检查</button></p>
</form>
<div class="gk-busy" id="gk-busy" hidden role="status"><p class="gk-spinner"></p>
<p>正在检查<span id="gk-busy-name"></span>，通常需要几秒钟，PDF 文件可能稍长……</p></div>
<section class="gk-privacy">
<h2>文件去了哪里？</h2>
<p>文件只在运行 gkcheck 的这台电脑上检查，不会发送到互联网。检查时文件暂存在临时文件夹中，检查结束立即删除；
检查结果只出现在本页面和您下载的文件中，不会保存，也不写入日志。</p>
</section>
</main>
{_footer()}"""
    return _page(f"{error_title} — {APP_NAME}" if error else APP_NAME, body, body_class="gk-upload")


def _footer() -> str:
    return f'<footer class="gk-footer">gkcheck {esc(__version__)}</footer>'


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _report_parts(html_text: str) -> tuple[str, str]:
    """(style, body) of a report rendered by ``checker.render.html``."""
    style = re.search(r"<style>(.*?)</style>", html_text, re.DOTALL)
    body = html_text.split("<body>", 1)[-1].rsplit("</body>", 1)[0]
    return (style.group(1) if style else ""), body


def result_page(checked: Checked) -> str:
    """The result: downloads on top, then the HTML report itself."""
    stem = PurePath(checked.name).stem or "report"
    links = []
    if checked.annotated is not None:
        links.append(_download(_data_uri(DOCX_TYPE, checked.annotated), f"{stem}-批注.docx",
                               "下载带批注的 Word 文件", primary=True))
    links.append(_download(_data_uri("text/html;charset=utf-8", checked.html_text.encode("utf-8")),
                           f"{stem}-检查报告.html", "下载检查报告（网页，可打印）"))
    links.append(_download(_data_uri("application/json;charset=utf-8", checked.json_text.encode("utf-8")),
                           f"{stem}-检查结果.json", "下载检查结果（JSON）"))
    if checked.kind == "docx" and checked.annotated is not None:
        hint = ("带批注的 Word 文件是您所上传文件的副本：用 Word 打开，每个问题都以批注标在相应段落或表格单元格旁"
                "（“审阅”→“显示批注”）。您的原文件没有任何改动。")
    elif checked.kind == "docx":
        hint = "这个 Word 文件未能生成带批注的副本；检查结果不受影响，请参阅下面的问题清单。"
    else:
        hint = "带批注的副本只能为 Word（.docx）文件生成。检查报告可下载后打印。"
    style, report = _report_parts(checked.html_text)
    agency = checked.result.agency or "（未识别的机关）"
    body = f"""<header class="gk-bar">{_brand()}
<a class="gk-button gk-again" href="/">检查另一份报告</a>
</header>
<nav class="gk-downloads" aria-label="下载">{"".join(links)}
<p class="gk-hint">{esc(hint)}</p></nav>
<main class="gk-report">
{report}
</main>"""
    return _page(f"{agency} — 检查结果", body, css=style, body_class="gk-result")


def _download(href: str, filename: str, text: str, *, primary: bool = False) -> str:
    cls = "gk-button gk-download" + (" gk-primary" if primary else "")
    return f'<a class="{cls}" href="{esc(href)}" download="{esc(filename)}">{esc(text)}</a>'


def message_page(status: int, title: str, message: str) -> str:
    """A page for a request that went wrong: the upload page with the message (the CLI's words for a bad file)."""
    return upload_page(error_title=title, error=message, status=status)
