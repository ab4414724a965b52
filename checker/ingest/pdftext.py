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
   space (the words of two lines of step 1 are never in one cluster: their tops are tops of the
   lines' characters, more than 3 apart; so each line of step 1 is clustered on its own).

:func:`applies` says whether the characters are of the kind these functions handle (every
character upright, one character of text that is not a line break); otherwise the caller
uses pdfplumber's own functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

_TOLERANCE = 3
#: Lines of characters are one row when their heights overlap by this share of the smaller height …
_ROW_OVERLAP = 0.6
#: … and no two of their characters overlap across by more than this (pt).
_ROW_TOUCH = 0.5
#: pdfplumber's ligature expansion (``LIGATURES`` in pdfplumber.utils.text).
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

_Word = tuple[str, float, float, float, float]  # text, x0, top, x1, bottom
_Box = tuple[float, float, float, float]  # x0, top, x1, bottom
_X0 = itemgetter("x0")


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


def _one_cluster(values: list[float]) -> bool:
    """Whether :func:`_cluster_ids` would put all the values (at least one) in one cluster.

    When the largest value is within the tolerance of the smallest, no sorted value is more
    than the tolerance above the one before it (``a + 3`` is written as in
    :func:`_cluster_ids`, so the floating-point sums are the same).
    """
    return max(values) <= min(values) + _TOLERANCE


def _top_clusters(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The characters clustered by ``top`` (:func:`_cluster_ids`), clusters in order, each in page order."""
    tops = [c["top"] for c in chars]
    if not tops:
        return []
    if _one_cluster(tops):
        return [chars]
    ids = _cluster_ids(tops)
    lines: list[list[dict[str, Any]]] = [[] for _ in range(max(ids.values()) + 1)]
    for char, top in zip(chars, tops, strict=True):
        lines[ids[top]].append(char)
    return lines


def _char_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """pdfplumber's lines of characters before they are cut into words (``WordExtractor.iter_chars_to_lines``).

    The characters are clustered by ``top`` (:func:`_top_clusters`), the clusters taken in
    order, and each cluster's characters sorted by ``x0`` with a stable sort of the page
    order. This is the order of pdfplumber's ``cluster_objects`` followed by its sort by
    ``x0``; a cell of one line (all tops within the tolerance, the usual case) is one cluster
    and needs no cluster map.
    """
    return [sorted(line, key=_X0) for line in _top_clusters(chars)]


def _words(chars: list[dict[str, Any]]) -> list[_Word]:
    """pdfplumber's words (WordExtractor with default settings) of upright characters."""
    if len(chars) < 2:  # no character, or one (a cell's single digit): its word, if it is not a space
        if not chars or chars[0]["text"].isspace():
            return []
        c = chars[0]
        return [(_LIGATURES.get(c["text"], c["text"]), c["x0"], c["top"], c["x1"], c["bottom"])]
    words: list[_Word] = []
    for line in _char_lines(chars):  # a word never runs over the end of its line
        _line_words(line, words)
    return words


def _line_words(line: list[dict[str, Any]], words: list[_Word]) -> None:
    """Append the words of one line of characters (sorted by ``x0``) to ``words``."""
    tolerance, ligatures = _TOLERANCE, _LIGATURES
    x0 = x1 = top = bottom = last_x0 = last_x1 = last_top = 0.0
    text: list[str] = []
    for char in line:
        ctext = char["text"]
        if ctext.isspace():
            if text:
                words.append(("".join(text), x0, top, x1, bottom))
                text = []
            continue
        cx0, ctop = char["x0"], char["top"]
        if text and (cx0 < last_x0 or cx0 > last_x1 + tolerance or abs(ctop - last_top) > tolerance):
            words.append(("".join(text), x0, top, x1, bottom))
            text = []
        cx1, cbottom = char["x1"], char["bottom"]
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
        last_x0, last_x1, last_top = cx0, cx1, ctop
    if text:
        words.append(("".join(text), x0, top, x1, bottom))


def _lines_of(words: list[_Word], preserve_order: bool) -> list[list[_Word]]:
    """pdfplumber's ``cluster_objects(words, "top", 3, preserve_order)``."""
    tops = [w[2] for w in words]
    if tops and _one_cluster(tops):  # one line (the words of one line of characters are, see _one_cluster)
        return [words]
    ids = _cluster_ids(tops)
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


def text_lines(chars: list[dict[str, Any]], boxes: Sequence[_Box] = (), *,
               rows: bool = False) -> list[dict[str, Any] | None]:
    """``page.extract_text_lines(strip=True)``: each line's ``text``, ``x0``, ``top``, ``x1``, ``bottom``.

    ``boxes`` (x0, top, x1, bottom: the page's tables): a line of characters lying inside one of
    them, all their tops within the tolerance, is one text line inside that box (the words of a
    line of characters are in lines of their own, see :func:`_lines_of`); it is not built, and
    None stands in its place, so that the lines keep their numbers.

    ``rows``: lines of characters printed on one row in two fonts are one line (see
    :func:`_one_row`); pdfplumber alone gives two.
    """
    out: list[dict[str, Any] | None] = []
    clusters = _top_clusters(chars)
    boxed = [_boxed(cluster, boxes) for cluster in clusters] if boxes else [False] * len(clusters)
    if rows and len(clusters) > 1:
        clusters, boxed = _rows(clusters, boxed)
    for cluster, inside in zip(clusters, boxed, strict=True):
        if inside:
            out.append(None)
            continue
        words: list[_Word] = []
        _line_words(sorted(cluster, key=_X0), words)
        for line in _lines_of(words, preserve_order=True):
            if len(line) == 1:  # a line of one word (Chinese text has no spaces): the word's box
                text, x0, top, x1, bottom = line[0]
            else:
                text = " ".join([w[0] for w in line])
                x0, top = min([w[1] for w in line]), min([w[2] for w in line])
                x1, bottom = max([w[3] for w in line]), max([w[4] for w in line])
            if text.strip():
                out.append({"text": text, "x0": x0, "top": top, "x1": x1, "bottom": bottom})
    return out


def _rows(clusters: list[list[dict[str, Any]]],
          boxed: list[bool]) -> tuple[list[list[dict[str, Any]]], list[bool]]:
    """The lines of characters (:func:`_top_clusters`), each joined to the line before it when both
    were printed on one row (:func:`_one_row`) and neither lies in a box (``boxed``: a table's):
    the joined line's characters stand at the first line's height (copies, moved up or down
    together), so that they are one line of words. Lines in a box are left as they are and keep
    their numbers. Returns the lines and whether each lies in a box."""
    bands = [(min(c["top"] for c in cluster), max(c["bottom"] for c in cluster)) for cluster in clusters]
    out, out_boxed, out_bands = [clusters[0]], [boxed[0]], [bands[0]]
    for cluster, inside, band in zip(clusters[1:], boxed[1:], bands[1:], strict=True):
        if not inside and not out_boxed[-1] and _one_row(out[-1], out_bands[-1], cluster, band):
            shift = out_bands[-1][0] - band[0]
            out[-1] = out[-1] + [{**c, "top": c["top"] + shift, "bottom": c["bottom"] + shift,
                                  "doctop": c["doctop"] + shift} for c in cluster]
            out_bands[-1] = (out_bands[-1][0], max(out_bands[-1][1], band[1] + shift))
        else:
            out.append(cluster)
            out_boxed.append(inside)
            out_bands.append(band)
    return out, out_boxed


def _one_row(upper: list[dict[str, Any]], upper_band: tuple[float, float],
             lower: list[dict[str, Any]], lower_band: tuple[float, float]) -> bool:
    """Whether two lines of characters were printed on one row.

    A row set in two fonts (Chinese characters in a CJK font, the digits of 2021 in a Latin
    one) has one baseline, but pdfminer's boxes hang from each font's own descent: at 24 pt the
    tops of the two fonts' characters differ by 5 pt, more than the line tolerance, and
    pdfplumber makes two lines of one (鸣沙县人民政府年政府信息公开工作年度报告 and 2021). The
    lines are one row when their heights overlap by at least 60% of the smaller height
    and no character of one stands over a character of the other (each fills the other's gaps).
    ``upper_band``, ``lower_band``: each line's top and bottom (its characters' least top, greatest bottom).
    """
    (top_u, bottom_u), (top_l, bottom_l) = upper_band, lower_band
    overlap = min(bottom_u, bottom_l) - max(top_u, top_l)
    if overlap < _ROW_OVERLAP * min(bottom_u - top_u, bottom_l - top_l):
        return False
    spans = sorted([(c["x0"], c["x1"]) for c in upper if not c["text"].isspace()]
                   + [(c["x0"], c["x1"]) for c in lower if not c["text"].isspace()])
    reach = -math.inf  # the right end of the characters so far
    for x0, x1 in spans:
        if x0 < reach - _ROW_TOUCH:
            return False
        reach = max(reach, x1)
    return True


def _boxed(cluster: list[dict[str, Any]], boxes: Sequence[_Box]) -> bool:
    """Whether the characters make one text line (a visible character, tops within the tolerance)
    whose every character lies inside one of the boxes (edges included), so the line's centre does too."""
    if not _one_cluster([c["top"] for c in cluster]) or all(c["text"].isspace() for c in cluster):
        return False
    return any(all(left <= c["x0"] <= right and left <= c["x1"] <= right and upper <= c["top"] <= lower
                   and upper <= c["bottom"] <= lower for c in cluster)
               for left, upper, right, lower in boxes)


def extract_text(chars: list[dict[str, Any]]) -> str:
    """``pdfplumber.utils.extract_text(chars)``: lines of words, words joined by a space."""
    return "\n".join(extract_lines(chars))


def extract_lines(chars: list[dict[str, Any]]) -> list[str]:
    """The lines of :func:`extract_text` (``extract_text(chars).split("\\n")``, but no line for no word)."""
    words = _words(chars)
    if len(words) < 2:  # one word is one line (a cell's number, a label without spaces)
        return [words[0][0]] if words else []
    return [" ".join(w[0] for w in line) for line in _lines_of(words, preserve_order=False)]
