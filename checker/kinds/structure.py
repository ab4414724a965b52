"""Structure kinds: JSON Schema fragments run by jsonschema on a minimal projection of the report.

Each check declares what it reads. The engine builds, for every report, the smallest
document holding just those values (the projection), validates it with jsonschema, and
re-uses the answer for every report with the same projection — in a batch most reports
share the same structure, so each distinct shape is validated once.
"""

from __future__ import annotations

from typing import Any

from checker.document import MISSING, label, path_to_pointer, pointer_to_path, resolve
from checker.kinds.base import JsonCheck, Payload


def required(at: str, keys: list[str] | str, requires: list[str] | None = None,
             label_ns: str | None = None, **_: Any) -> JsonCheck:
    """The object at ``at`` has every key in ``keys``; one finding per missing key."""
    keys = [keys] if isinstance(keys, str) else list(keys)
    anchor = pointer_to_path(at)
    reads = tuple(anchor + (k,) for k in keys)

    def describe(doc: dict[str, Any]) -> list[Payload]:
        node = resolve(doc, anchor)
        present = node if isinstance(node, dict) else {}
        return [Payload(path_to_pointer(anchor + (k,)),
                        {"missing": label(label_ns, k) if label_ns else k,
                         "missing_en": label(label_ns, k, "en") if label_ns else k})
                for k in keys if k not in present]

    schema = _nest(anchor, {"type": "object", "required": keys})
    req = tuple(pointer_to_path(p) for p in (requires if requires is not None else [at]))
    return JsonCheck(schema, reads, req, describe, presence_only=True)


def schema(at: str, schema: dict[str, Any], reads: list[str], requires: list[str] | None = None,
           show: dict[str, str] | None = None, **_: Any) -> JsonCheck:
    """A JSON Schema fragment written in the rule file, applied at ``at`` to the values it ``reads``."""
    anchor = pointer_to_path(at)
    shown = {name: pointer_to_path(p) for name, p in (show or {}).items()}

    def describe(doc: dict[str, Any]) -> list[Payload]:
        values = {}
        for name, path in shown.items():
            v = resolve(doc, path)
            values[name] = "（空）" if v is MISSING or v is None else v
        return [Payload(at or reads[0], values)]

    req = tuple(pointer_to_path(p) for p in (requires if requires is not None else [at]))
    return JsonCheck(_nest(anchor, schema), tuple(pointer_to_path(p) for p in reads), req, describe)


def _nest(anchor: tuple[str, ...], fragment: dict[str, Any]) -> dict[str, Any]:
    """Wrap ``fragment`` in ``properties`` down to ``anchor`` (requiring each level)."""
    node = fragment
    for key in reversed(anchor):
        node = {"type": "object", "required": [key], "properties": {key: node}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **node}
