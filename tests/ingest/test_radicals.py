"""Radical characters that PDF fonts map glyphs to read as the ideographs they stand for."""

from __future__ import annotations

import unicodedata

from checker.ingest._shared import clean_text


def test_radicals_supplement_folds_to_ideographs() -> None:
    # a browser's Japanese CJK font writes 民, 长, 青 as CJK Radicals Supplement characters
    assert clean_text("清溪县人\u2ea0政府办公室") == "清溪县人民政府办公室"
    assert clean_text("\u2ed3宁市\u2ec7") == "长宁市𧢲"
    assert clean_text("望川县\u2ed8山镇") == "望川县青山镇"


def test_kangxi_radicals_fold_as_before() -> None:
    assert clean_text("\u2f08\u2f00") == "人一"


def test_every_radical_that_has_an_ideograph_folds_to_a_unified_ideograph() -> None:
    for cp in list(range(0x2E80, 0x2EF4)) + list(range(0x2F00, 0x2FD6)):
        char = chr(cp)
        if unicodedata.category(char) != "So":
            continue  # unassigned code points of the blocks
        folded = clean_text(char)
        if cp == 0x2E80:  # no equivalent ideograph in Unicode's table: left as it is
            assert folded == char
            continue
        # CJK Unified Ideographs (with Extension A) or an extension of plane 2 or 3
        assert len(folded) == 1 and (0x3400 <= ord(folded) <= 0x9FFF or 0x20000 <= ord(folded) <= 0x3FFFF), (
            hex(cp), folded)
