"""Renderers: turn results into text for people or machines. One registry, one function per format."""

from __future__ import annotations

from typing import Callable

from checker.render.context import RenderContext
from checker.render.html import render_html
from checker.render.json_out import render_json
from checker.render.junit import render_junit
from checker.render.markdown import render_markdown
from checker.render.sarif import render_sarif
from checker.render.text import render_text

RENDERERS: dict[str, Callable[..., str | None]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "markdown": render_markdown,
    "html": render_html,
}

__all__ = ["RENDERERS", "RenderContext"]
