"""Table 四 printed right under table 三, its part's heading (and text) left out.

Some reports drop the heading 四、政府信息公开行政复议、行政诉讼情况 and print table 四 straight
under table 三. Copied text, converters and PDFs whose tables touch then give both tables as
one grid. For every complete form of ``forms.FORMS``, such a report must read back every cell
that the same report with its heading reads back, and the part must not be called missing:
its table is printed (the missing heading is reported by its own rule, not as a missing part).
"""

from __future__ import annotations

import random
from typing import Any

import forms
import pytest
from compare import table_cells
from documents import make_document
from forms import FORMS, SLOW_FORMS

from checker.api import check_many
from checker.ingest import parse_document

# Forms that print the whole report (the excerpt is cut before the tables).
COMPLETE = sorted(set(FORMS) - {"excerpt"})
SEEDS = range(12)


def _headless(build: Any) -> Any:
    def build_blocks(doc: dict[str, Any], style: Any, **options: Any) -> list[Any]:
        return [block for block in build(doc, style, **options)
                if not (block.section == "appeals" and block.kind in ("heading", "para"))]
    return build_blocks


@pytest.mark.parametrize("form", COMPLETE)
def test_table_four_under_table_three_is_read(form: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = SEEDS[:4] if form in SLOW_FORMS else SEEDS
    documents = [make_document(random.Random(seed)) for seed in seeds]
    with_heading = [parse_document(*reversed(FORMS[form](doc, random.Random(seed))))
                    for seed, doc in zip(seeds, documents, strict=True)]
    monkeypatch.setattr(forms, "build_blocks", _headless(forms.build_blocks))
    checked = 0
    for seed, doc, whole in zip(seeds, documents, with_heading, strict=True):
        if "appeals" not in doc["tables"]:
            continue
        checked += 1
        name, data = FORMS[form](doc, random.Random(seed))
        read = parse_document(data, name)
        lost = {pointer for pointer in table_cells(whole) if pointer not in table_cells(read)}
        assert not lost, f"{form} seed {seed}: cells read with the heading, not without it: {sorted(lost)[:8]}"
        result = check_many([read])[0]
        missing = [f.pointer for f in result.findings if f.rule_id == "GK-S-001"]
        assert "/sections/appeals" not in missing, f"{form} seed {seed}: part 四 called missing, its table printed"
    assert checked >= len(seeds) // 2
