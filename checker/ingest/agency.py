"""Kind and administrative level of a publishing body, inferred from its name.

The name is split into administrative units (省 / 市 / 州 / 县 / 区 / 乡 / 镇 /
街道) and the body that follows them (人民政府, 应急管理局, 人民政府办公室 …).
Whether a ``…市`` is a prefecture-level or a county-level city comes from the
administrative-division list shipped with the ``cpca`` package (its
``resources/adcodes.csv``, read as data; the package is not imported). When a
unit cannot be placed, the level is left out rather than guessed.

Bodies the units alone do not place:

* the State Council's ministries and bureaus (``中华人民共和国XX部``, ``XX部``, ``国家XX局``,
  ``XX总署``, ``国务院XX办公室``): departments at the national level;
* a bureau's branch named after a place (``XX市公安局XX分局``): one level below the bureau;
* a development zone, new area or pilot zone (``XX经济技术开发区``, ``XX高新区``, ``XX新区``,
  ``XX综合实验区``) that is not itself an administrative division: its committee (the zone's
  name alone, or with ``管委会`` / ``管理委员会``) publishes for the whole zone and counts as
  its government, the zone's bureaus as its departments. The zone sits one level below the
  place it is named after (湛江 → 湛江市, prefectural → the zone is county level); a
  comprehensive pilot zone (综合实验区) is set up by its province and is prefectural;
* a name that starts with a bare 省 / 州 / 县 / 区 / 乡 / 镇 (``区政府办公室``, ``县林业局``): the
  level that word names, without a region.
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
_GOVERNMENT_BODY = {"", "人民政府", "政府", "人民政府机关", "政府机关"}
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|厅|署|中心|院|所|站|队|处|部|馆|会|室)$")
_GENERIC_UNIT = re.compile(r"^[\u4e00-\u9fff]{1,10}?(自治区|省|自治州|州|盟|地区|自治县|县|旗)")
_SUFFIX_LEVEL = {"自治区": "provincial", "省": "provincial", "自治州": "prefectural", "州": "prefectural",
                 "盟": "prefectural", "地区": "prefectural", "自治县": "county", "县": "county", "旗": "county"}
# A name that starts with the bare word for its unit: 区政府办公室, 县林业局, 省教育厅 (市 tells no level).
_BARE_UNIT = re.compile(r"^(省|市|州|县|区|旗|乡|镇)(?!域|级|场|民|委|直|属|内|外)(?=.)")
_BARE_LEVEL = {"省": "provincial", "州": "prefectural", "县": "county", "区": "county", "旗": "county",
               "乡": "township", "镇": "township", "市": None}
_NATIONAL_PREFIX = re.compile(r"^(国务院|国家|中华人民共和国|中国(?!共产党))")
# A ministry or a national bureau without a place in its name: 教育部, 海关总署, 审计署.
_NATIONAL_BODY = re.compile(r"^[\u4e00-\u9fff]{1,14}(部|总署|署|总局)$")
_NATIONAL_HEAD = re.compile(r"^(?:国家|中国)[\u4e00-\u9fff]{1,10}?(?:总局|局)")
_BRANCH = re.compile(r"(局|厅)[\u4e00-\u9fff]{1,8}分局$")
_ZONE = re.compile(r"综合实验区|综合试验区|深度合作区|经济技术开发区|高新技术产业开发区|经济开发区|高新技术产业园区|"
                   r"高新区|经开区|开发区|新区|示范区|试验区|实验区|工业园区|产业园区|园区|保税区|自贸区|合作区")
_PROVINCE_ZONE = re.compile(r"综合实验区|综合试验区|深度合作区")
_ZONE_COMMITTEE = re.compile(r"^(?:党工委)?(?:管委会|管理委员会)?")
_UNIT_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗)$")
_BELOW = {"provincial": "prefectural", "prefectural": "county", "county": "township"}


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


@lru_cache(maxsize=1)
def _stems() -> dict[str, str | None]:
    """Unit name without its 省/市/县/区 word (湛江 → prefectural), as zones are named; None when ambiguous."""
    stems: dict[str, str | None] = {}
    for name, level in _gazetteer().items():
        stem = _UNIT_SUFFIX.sub("", name)
        if len(stem) >= 2 and stem != name:
            stems[stem] = level if stems.get(stem, level) == level else None
    return stems


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


def leading_units(text: str) -> int:
    """How many characters at the start of ``text`` are known administrative units (福建省将乐县… → 6)."""
    units, rest = _split_units(match_key(text))
    return len(match_key(text)) - len(rest) if units else 0


# A unit the administrative-division list does not know: two to four characters and the word of
# its unit (松岭县, 青禾市), not followed by what makes the word part of a body's name (市场…, 区域…).
_ANY_UNIT = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:自治区|自治州|自治县|特别行政区|地区|省|市|州|盟|县|旗|区)"
                       r"(?![场域级直属辖内外])")


def split_units(name: str) -> tuple[tuple[str, ...], str]:
    """The leading administrative units of a name and the body after them: ``青禾县交通运输局`` →
    ``(("青禾县",), "交通运输局")`` (brackets and spaces left out).

    Units the administrative-division list knows come first; then any run of two to four
    characters ending in a unit's word counts as one more unit, and a development zone
    (``平潭综合实验区``) as one more, as long as something follows.
    """
    found, body = _split_units(re.sub(r"[（(].*?[)）]", "", match_key(name)))
    units = [unit for unit, _ in found]
    while True:
        more = _ANY_UNIT.match(body)
        zone = _ZONE.search(body[:16])
        if more and more.end() < len(body):
            end = more.end()
        elif zone and 2 <= zone.start() and zone.end() < len(body):
            end = zone.end()
        else:
            break
        units.append(body[:end])
        body = body[end:]
    return tuple(units), body


def classify_agency(name: str) -> AgencyInfo:
    """Kind (government/department/office/subdistrict/other) and level of a body.

    Args:
        name: the body's name as written, e.g. "湘乡市应急管理局".

    Returns:
        The inferred kind, level and region; fields the name does not settle are None.
    """
    key = re.sub(r"[（(].*?[)）]", "", match_key(name))
    if not key:
        return AgencyInfo(None, None, None)
    units, body = _split_units(key)
    region = "".join(unit for unit, _ in units) or None
    level = units[-1][1] if units else None
    if _SUBDISTRICT.search(key):
        return AgencyInfo("subdistrict", "township", region)
    if not units:
        national = _national(key)
        if national:
            return national
        bare = _BARE_UNIT.match(key)
        if bare:
            info = _body_kind(key[1:], _BARE_LEVEL[bare.group(1)], None)
            if info.kind:
                return info
    zone = _ZONE.search(body)
    if zone:
        return _zone(units, body, zone, region)
    if _TOWNSHIP.match(body):
        return AgencyInfo("government", "township", region)
    return _body_kind(body, level, region, bool(units))


def _body_kind(body: str, level: str | None, region: str | None, placed: bool = True) -> AgencyInfo:
    """Kind of the body that follows the units, at the units' level."""
    if body in _GOVERNMENT_BODY:
        return AgencyInfo("government" if placed else None, level if placed else None, region)
    if _OFFICE.match(body):
        return AgencyInfo("office", level, region)
    if _DEPARTMENT.search(body):
        if _BRANCH.search(body) and level:
            level = "county" if level == "provincial" and (region or "").endswith("市") else _BELOW.get(level)
        return AgencyInfo("department", level, region)
    return AgencyInfo(None, None, region)


def _national(key: str) -> AgencyInfo | None:
    """A body of the State Council (国务院, its ministries and bureaus), or a vertical bureau's local office."""
    if _NATIONAL_PREFIX.match(key):
        head = _NATIONAL_HEAD.match(key)
        if head and head.end() < len(key):  # 国家税务总局XX省税务局: the local office of a national bureau
            units, body = _split_units(key[head.end():])
            if units and _DEPARTMENT.search(body):
                return AgencyInfo("department", units[-1][1], "".join(u for u, _ in units))
        if key.startswith("国务院办公厅"):
            return AgencyInfo("office", "national", None)
        return AgencyInfo("government" if key == "国务院" else "department", "national", None)
    if _NATIONAL_BODY.match(key) and not _BARE_UNIT.match(key) and not _ZONE.search(key):
        return AgencyInfo("department", "national", None)
    return None


def _zone(units: list[tuple[str, str | None]], body: str, zone: re.Match[str], region: str | None) -> AgencyInfo:
    """A development zone's committee (its government) or one of its bureaus, one level below its parent."""
    parent = body[:zone.start()]
    if _PROVINCE_ZONE.search(zone.group(0)):
        level: str | None = "prefectural"
    else:
        parent_level = _stems().get(parent) if parent else None
        if parent and parent_level is None:
            parent_units, rest = _split_units(parent)
            parent_level = parent_units[-1][1] if parent_units and not rest else None
        if not parent and units:
            parent_level = units[-1][1]
            if parent_level == "provincial" and (region or "").endswith("市"):
                parent_level = "prefectural"  # a zone of a municipality (直辖市) is county level
        level = _BELOW.get(parent_level) if parent_level else None
    zone_region = (region or "") + body[:zone.end()]
    rest = _ZONE_COMMITTEE.sub("", body[zone.end():], count=1)
    if rest in _GOVERNMENT_BODY:
        return AgencyInfo("government", level, zone_region)
    return _body_kind(rest, level, zone_region)
