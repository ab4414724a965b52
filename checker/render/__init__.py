"""Renderers: turn results into text for people or machines. One registry, one function per format.

The registry names every format without importing a renderer: a renderer's module (and what it
imports: rich, the HTML templates ...) is imported when its format is first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.render.context import RenderContext

Renderer = Callable[..., "str | None"]

_MODULES: dict[str, tuple[str, str]] = {
    "text": ("checker.render.text", "render_text"),
    "concise": ("checker.render.concise", "render_concise"),
    "json": ("checker.render.json_out", "render_json"),
    "sarif": ("checker.render.sarif", "render_sarif"),
    "junit": ("checker.render.junit", "render_junit"),
    "gitlab": ("checker.render.gitlab", "render_gitlab"),
    "github": ("checker.render.github", "render_github"),
    "markdown": ("checker.render.markdown", "render_markdown"),
    "html": ("checker.render.html", "render_html"),
}


class _Renderers(Mapping[str, Renderer]):
    """format name → renderer, each imported on first use."""

    def __getitem__(self, name: str) -> Renderer:
        module, attribute = _MODULES[name]
        renderer: Renderer = getattr(importlib.import_module(module), attribute)
        return renderer

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


RENDERERS: Mapping[str, Renderer] = _Renderers()


def __getattr__(name: str) -> Any:
    if name == "RenderContext":  # imported on use: it brings the rule-set model
        from checker.render.context import RenderContext

        return RenderContext
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["RENDERERS", "RenderContext"]
