"""pdfplumber's grouping of characters into words and lines, for upright text, without its overhead.

pdfplumber's ``page.extract_text_lines()`` and ``utils.extract_text(chars)`` (with their
default settings: ``x_tolerance`` and ``y_tolerance`` 3, no layout, left-to-right lines
top to bottom) build a dict per word and a character map of the whole page; on a report
page that costs more than reading the page with pdfium. The two functions here give the
same results from the same characters (tested against pdfplumber in
``tests/ingest_formats/test_pdf_engines.py``):

1. characters are clustered into lines by their ``top`` (values sorted, a value within 3 of
   the previous one joins its cluster), clusters in order of position, characters of a line
   sorted by ``x0`` (stable);
2. a line's characters are cut into words at whitespace characters (dropped), where a
   character starts left of the previous one's start, more than 3 right of its end, or more
   than 3 above or below its top;
3. words are clustered by their ``top`` again into the lines of the text, words joined by one
   space.

:func:`applies` says whether the characters are of the kind these functions handle (every
character upright, one character of text that is not a line break); otherwise the caller
uses pdfplumber's own functions.
"""

from __future__ import annotations

from typing import Any

_TOLERANCE = 3
#: pdfplumber's ligature expansion (``LIGATURES`` in pdfplumber.utils.text).
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

_Word = tuple[str, float, float, float, float]  # text, x0, top, x1, bottom


def applies(chars: list[dict[str, Any]]) -> bool:
    """Whether every character is upright and one character of text other than a line break."""
    return all(c["upright"] and len(c["text"]) == 1 and c["text"] not in "\n\r" for c in chars)


def _cluster_ids(values: list[float]) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: each distinct value → the index of its cluster."""
    ids: dict[float, int] = {}
    cluster, last = -1, None
    for value in sorted(set(values)):
        if last is None or value > last + _TOLERANCE:
            cluster += 1
        ids[value] = cluster
        last = value
    return ids


def _words(chars: list[dict[str, Any]]) -> list[_Word]:
    """pdfplumber's words (WordExtractor with default settings) of upright characters."""
    if len(chars) < 2:  # no character, or one (a cell's single digit): its word, if it is not a space
        if not chars or chars[0]["text"].isspace():
            return []
        c = chars[0]
        return [(_LIGATURES.get(c["text"], c["text"]), c["x0"], c["top"], c["x1"], c["bottom"])]
    ids = _cluster_ids([c["top"] for c in chars])
    # (line cluster, x0, page order) sorts as pdfplumber does: lines in cluster order, then a
    # stable sort by x0 of the line's characters in page order
    order = sorted([(ids[c["top"]], c["x0"], index, c) for index, c in enumerate(chars)])
    words: list[_Word] = []
    text: list[str] = []
    x0 = x1 = top = bottom = last_x0 = last_x1 = last_top = 0.0
    line = -1
    ligatures = _LIGATURES
    for cluster, cx0, _, char in order:
        ctext = char["text"]
        if ctext.isspace():
            if text:
                words.append(("".join(text), x0, top, x1, bottom))
                text = []
            line = cluster
            continue
        cx1, ctop, cbottom = char["x1"], char["top"], char["bottom"]
        if text and (cluster != line or cx0 < last_x0 or cx0 > last_x1 + _TOLERANCE
                     or abs(ctop - last_top) > _TOLERANCE):
            words.append(("".join(text), x0, top, x1, bottom))
            text = []
        if not text:
            x0, top, x1, bottom = cx0, ctop, cx1, cbottom
        else:  # min() and max(), keeping the first of equal values
            if cx0 < x0:
                x0 = cx0
            if ctop < top:
                top = ctop
            if cx1 > x1:
                x1 = cx1
            if cbottom > bottom:
                bottom = cbottom
        text.append(ligatures.get(ctext, ctext))
        last_x0, last_x1, last_top, line = cx0, cx1, ctop, cluster
    if text:
        words.append(("".join(text), x0, top, x1, bottom))
    return words


def _lines_of(words: list[_Word], preserve_order: bool) -> list[list[_Word]]:
    """pdfplumber's ``cluster_objects(words, "top", 3, preserve_order)``."""
    ids = _cluster_ids([w[2] for w in words])
    ordered = words if preserve_order else sorted(words, key=lambda w: ids[w[2]])
    lines: list[list[_Word]] = []
    last = None
    for word in ordered:
        cluster = ids[word[2]]
        if not lines or cluster != last:
            lines.append([])
        lines[-1].append(word)
        last = cluster
    return lines


def text_lines(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``page.extract_text_lines(strip=True)``: each line's ``text``, ``x0``, ``top``, ``x1``, ``bottom``."""
    out = []
    for line in _lines_of(_words(chars), preserve_order=True):
        text = " ".join(w[0] for w in line)
        if text.strip():
            out.append({"text": text, "x0": min(w[1] for w in line), "top": min(w[2] for w in line),
                        "x1": max(w[3] for w in line), "bottom": max(w[4] for w in line)})
    return out


def extract_text(chars: list[dict[str, Any]]) -> str:
    """``pdfplumber.utils.extract_text(chars)``: lines of words, words joined by a space."""
    words = _words(chars)
    if len(words) < 2:  # one word is one line (a cell's number, a label without spaces)
        return words[0][0] if words else ""
    return "\n".join(" ".join(w[0] for w in line) for line in _lines_of(words, preserve_order=False))
