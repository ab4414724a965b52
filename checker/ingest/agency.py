"""Kind and administrative level of a publishing body, inferred from its name.

The name is split into administrative units (省 / 市 / 州 / 县 / 区 / 乡 / 镇 /
街道) and the body that follows them (人民政府, 应急管理局, 人民政府办公室 …).
Whether a ``…市`` is a prefecture-level or a county-level city comes from the
administrative-division list shipped with the ``cpca`` package (its
``resources/adcodes.csv``, read as data; the package is not imported). When a
unit cannot be placed, the level is left out rather than guessed.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from checker.ingest.normalize import match_key

_ETHNIC_AUTONOMY = re.compile(r"(?:[\u4e00-\u9fff]{1,3}族)+自治(州|县|旗)$")
_TOWNSHIP = re.compile(r"^[\u4e00-\u9fff]{1,8}?(乡|镇)(人民政府|政府)?$")
_SUBDISTRICT = re.compile(r"街道(办事处|办)?$")
_OFFICE = re.compile(r"^(人民)?政府办(公室|公厅)?$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|厅|署|中心|院|所|站|队|处|部|馆|会|室)$")
_ZONE = re.compile(r"开发区|新区|示范区|高新区|管委会|管理委员会|园区|试验区")
_GENERIC_UNIT = re.compile(r"^[\u4e00-\u9fff]{1,10}?(自治区|省|自治州|州|盟|地区|自治县|县|旗)")
_SUFFIX_LEVEL = {"自治区": "provincial", "省": "provincial", "自治州": "prefectural", "州": "prefectural",
                 "盟": "prefectural", "地区": "prefectural", "自治县": "county", "县": "county", "旗": "county"}


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """What the name tells about a body; None where it does not tell."""

    kind: str | None
    level: str | None
    region: str | None


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str | None]:
    """Administrative unit name → level (None when the same name has two levels)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    if not path.is_file():
        return {}
    names: dict[str, str | None] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"][:6], row["name"].strip()
            if not name or name == "市辖区":
                continue
            level = "provincial" if code[2:] == "0000" else "prefectural" if code[4:] == "00" else "county"
            for alias in _aliases(name):
                names[alias] = level if names.get(alias, level) == level else None
    return names


def _aliases(name: str) -> list[str]:
    match = _ETHNIC_AUTONOMY.search(name)
    if not match:
        return [name]
    base = name[: match.start()]
    return [name, base + match.group(1)] if base else [name]


def _split_units(key: str) -> tuple[list[tuple[str, str | None]], str]:
    """Leading administrative units of a name (longest known name first) and the rest."""
    gazetteer = _gazetteer()
    units: list[tuple[str, str | None]] = []
    pos = 0
    while pos < len(key):
        found = next((key[pos:pos + n] for n in range(min(14, len(key) - pos), 1, -1)
                      if key[pos:pos + n] in gazetteer), None)
        if found is None:
            break
        units.append((found, gazetteer[found]))
        pos += len(found)
    if not units:
        generic = _GENERIC_UNIT.match(key)
        if generic:
            units.append((generic.group(0), _SUFFIX_LEVEL[generic.group(1)]))
            pos = generic.end()
    return units, key[pos:]


def classify_agency(name: str) -> AgencyInfo:
    """Kind (government/department/office/subdistrict/other) and level of a body.

    Args:
        name: the body's name as written, e.g. "湘乡市应急管理局".

    Returns:
        The inferred kind, level and region; fields the name does not settle are None.
    """
    key = re.sub(r"[（(].*?[)）]", "", match_key(name))
    if key.startswith(("国务院", "国家", "中华人民共和国")):
        kind = "office" if key.startswith("国务院办公厅") else "government" if key == "国务院" else "department"
        return AgencyInfo(kind, "national", None)
    units, body = _split_units(key)
    region = "".join(unit for unit, _ in units) or None
    level = units[-1][1] if units else None
    if _SUBDISTRICT.search(key):
        return AgencyInfo("subdistrict", "township", region)
    if _TOWNSHIP.match(body):
        return AgencyInfo("government", "township", region)
    if body in {"", "人民政府", "政府"}:
        return AgencyInfo("government" if units else None, level, region)
    if _OFFICE.match(body):
        return AgencyInfo("office", level, region)
    if _ZONE.search(body):
        return AgencyInfo("department" if _DEPARTMENT.search(body) else None, None, region)
    if body and _DEPARTMENT.search(body):
        return AgencyInfo("department", level, region)
    return AgencyInfo(None, None, region)
