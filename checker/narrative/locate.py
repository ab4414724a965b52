"""Where a sentence of a part's text stood in the original file."""

from __future__ import annotations

from typing import Any

from checker.ingest.layout import quote_of

# --------------------------------------------------------------------------- locations


def sentence_location(doc: dict[str, Any], section: str, offset: int, quote: str | None = None) -> dict[str, Any] | None:
    """Where the text offset of a section stood in the original file, from the source map.

    A document read from a file records where each line of a part's text starts
    (``text_lines``, and ``text_pages`` for a paged file): the line of the offset is exact. The
    place carries the file's ``unit`` and a short ``quote``: the start of ``quote`` (the sentence
    the finding quotes) when given, else of the text line.

    Without ``text_lines`` (a document of an earlier version), the source map gives the section's
    first (heading) line and last line. Ingest keeps one text line per paragraph and drops blank
    lines, so the line is exact when the section's span is a whole multiple of its text lines (one
    paragraph per line, with or without a blank line between paragraphs); otherwise (paragraphs
    reflowed over several lines, as in PDF extraction) it is estimated from the character offset
    inside the span.
    """
    smap = doc.get("source_map")
    entry = smap.get(f"/sections/{section}") if isinstance(smap, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("line"), int):
        return None
    text = ((doc.get("sections") or {}).get(section) or {}).get("text") or ""
    k = text.count("\n", 0, offset)
    out: dict[str, Any] = {key: entry[key] for key in ("page", "unit") if key in entry}
    line_end = text.find("\n", offset)
    line_text = text[text.rfind("\n", 0, offset) + 1:line_end if line_end >= 0 else len(text)]
    said = quote_of((quote or "").lstrip("…").strip() or line_text)
    if said:
        out["quote"] = said
    lines, pages = entry.get("text_lines"), entry.get("text_pages")
    if isinstance(lines, list) and k < len(lines) and isinstance(lines[k], int):
        out["line"] = lines[k]
        if isinstance(pages, list) and k < len(pages) and isinstance(pages[k], int) and pages[k] > 0:
            out["page"] = pages[k]
        return out
    first = int(entry["line"])
    last = entry["end_line"] if isinstance(entry.get("end_line"), int) else first
    n = text.count("\n") + 1
    span = last - first
    if span <= 0:
        return {**out, "line": first}
    if span + 1 == n:  # text starts on the heading line
        return {**out, "line": first + k}
    if span % n == 0:  # heading line, then one paragraph per `stride` lines
        stride = span // n
        return {**out, "line": first + stride * (k + 1)}
    share = offset / max(1, len(text))
    return {**out, "line": min(last, first + 1 + int(round((span - 1) * share)))}
