"""The user-facing words of gkcheck in Chinese and English: one catalogue instead of branches on the language.

* :func:`pick` chooses between the two texts of a message written where it is used (``pick(lang, "已写入：",
  "Written: ")``): the one place the language is looked at;
* :func:`term` names a value of a closed vocabulary — agency kinds and levels, severities, outcomes, grades,
  categories, the audit's input statuses (``status``) — from :data:`TERMS`;
* :func:`say` fills in a longer message of :data:`MESSAGES` (the closing lines of a command, a comment's
  head), kept here with its two languages side by side.

Chinese is the default: any ``lang`` other than ``"en"`` reads Chinese. Light: imports nothing heavy.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {"government": ("人民政府", "government"), "department": ("政府部门", "department"),
             "office": ("政府办公厅（室）", "office"), "subdistrict": ("街道办事处", "subdistrict"),
             "other": ("其他机关", "other")},
    "level": {"national": ("国家级", "national"), "provincial": ("省级", "provincial"),
              "prefectural": ("市级", "prefectural"), "county": ("县级", "county"), "township": ("乡级", "township")},
    "severity": {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")},
    "outcome": {"pass": ("通过", "pass"), "fail": ("未通过", "fail"), "not_assessable": ("无法判断", "not_assessable"),
                "not_applicable": ("不适用", "not_applicable"), "waived": ("已豁免", "waived")},
    "grade": {"优秀": ("优秀", "Excellent"), "良好": ("良好", "Good"), "合格": ("合格", "Pass"),
              "不合格": ("不合格", "Fail"), "—": ("—", "—"), "未评级": ("未评级", "Not graded")},
    "category": {"完整性": ("完整性", "Completeness"), "准确性": ("准确性", "Accuracy"),
                 "规范性": ("规范性", "Conformity"), "时效性": ("时效性", "Timeliness")},
    "status": {"duplicate": ("重复文件", "duplicate"), "unreadable": ("无法读取", "unreadable"),
               "non_report": ("不是年度报告", "not a report"), "invalid": ("文档格式不符", "invalid document"),
               "missing": ("找不到文件", "missing"), "mislabelled": ("标注不符", "mislabelled"),
               "conflict": ("同一机关同一年度有多份报告", "conflict"), "error": ("处理出错", "processing failed"),
               "timeout": ("处理超时", "timed out"), "listed_twice": ("清单重复列出", "listed twice")},
}
"""Per vocabulary, per value: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "audit.counts": (
        "共检查 {checked} 份报告（本次检查 {now} 份，{stored} 份沿用数据库结果），用时 {seconds:.1f} 秒；未通过 {failing} 份；"
        "未能检查 {failed} 份；输入问题 {problems} 项；冲突 {conflicts} 处。",
        "Checked {checked} reports ({now} now, {stored} from the database) in {seconds:.1f} s; {failing} fail; "
        "{failed} could not be checked; {problems} input problems; {conflicts} conflicts."),
    "audit.listed_twice": (
        "清单中有 {n} 行重复列出了已列出的文件（每个文件只检查一次，见 problems.csv）。",
        "{n} manifest rows list a file already listed (checked once; see problems.csv)."),
    "audit.outputs": ("结果在 {out}/（summary.xlsx、audit.html 等）", "Outputs in {out}/ (summary.xlsx, audit.html, …)"),
    "audit.up_to_date": ("{out}/ 中的结果已是最新。", "Outputs in {out}/ are up to date."),
    "audit.missing": ("找不到：{path}（请检查路径是否正确）", "Not found: {path}"),
    "audit.failed": (
        "有 {n} 份报告未能检查（无法读取、格式不符、处理出错或超时），原因见 problems.csv。",
        "{n} reports could not be checked (unreadable, invalid, failed or timed out): see problems.csv."),
    "audit.none": ("没有一份报告能够检查，原因见 problems.csv。", "No report could be checked: see problems.csv for why."),
    "audit.interrupted": (
        "已中断。已检查的报告已保存在数据库中，重新运行同一命令将从中断处继续。",
        "Interrupted. Reports already checked are kept in the database; run the same command to resume."),
}
"""Longer messages: key → (Chinese, English) templates (``str.format`` fields)."""

MESSAGES.update({
    "annotate.score": ("gkcheck 检查结果：得分 {overall} / 100，等级 {grade}{why}，{verdict}。",
                       "gkcheck: score {overall} / 100, grade {grade}{why}, {verdict}."),
    "annotate.counts": ("问题：错误 {error} 项、警告 {warning} 项、提示 {info} 项{waived}，每项都以批注标在相应位置。",
                        "Findings: {error} errors, {warning} warnings, {info} info{waived}, each as a comment where it "
                        "applies."),
    "annotate.waived": ("、已豁免 {n} 项", ", {n} waived"),
    "annotate.coverage": ("{coverage}。", "{coverage}."),
    "annotate.notices": ("读取提示 {n} 条：原文中有部分内容未能读出，详见 HTML 检查报告。",
                         "Reading notices: {n} (parts that could not be read; see the HTML report)."),
    "annotate.copy": ("本文件是原报告的副本，批注由 gkcheck 自动添加；原文件未被修改。",
                      "This is a copy of the report with comments added by gkcheck; the original file was not changed."),
    "progress.line": ("{label}：{count}/{total}，{rate:.0f} 份/秒，预计还需 {left:.0f} 秒",
                      "{label}: {count}/{total}, {rate:.0f}/s, {left:.0f} s left"),
    "check.skipped": ("已跳过 {n} 个不是年度报告的文件：{names}{more}{none}",
                      "Skipped {n} file(s) that are not annual reports: {names}{more}{none}"),
    "check.skipped_more": ("等", ", ..."),
    "check.skipped_none": ("。没有需要检查的年度报告。", ". No report to check."),
})


def pick(lang: str, zh: str, en: str) -> str:
    """The text for ``lang``: ``en`` in English, else ``zh``."""
    return en if lang == "en" else zh


def term(group: str, value: str | None, lang: str) -> str:
    """The name of ``value`` in the vocabulary ``group`` (the value itself when the vocabulary lacks it; "" for None)."""
    if value is None:
        return ""
    names = TERMS[group].get(value)
    return value if names is None else names[1 if lang == "en" else 0]


def say(key: str, lang: str, **values: Any) -> str:
    """The message ``key`` of :data:`MESSAGES` in ``lang``, filled in with ``values``."""
    zh, en = MESSAGES[key]
    return pick(lang, zh, en).format(**values)
